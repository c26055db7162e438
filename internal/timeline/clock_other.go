//go:build !unix

package timeline

import "time"

// Now is the wall clock in nanoseconds: on systems without CLOCK_MONOTONIC it is the
// one clock every process shares.
func Now() int64 { return time.Now().UnixNano() }

// ProcessCPU is not read here.
func ProcessCPU() (time.Duration, bool) { return 0, false }
