//go:build !unix

package calibrate

import "time"

// ownCPU is unknown here: the profile leaves the parent's per-task CPU at 0.
func ownCPU() time.Duration { return -1 }
