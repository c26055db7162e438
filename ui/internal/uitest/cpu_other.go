//go:build !unix

package uitest

import "time"

// ProcessCPUNow is not measured here.
func ProcessCPUNow() time.Duration { return 0 }
