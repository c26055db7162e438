//go:build unix

package calibrate

import (
	"time"

	"golang.org/x/sys/unix"
)

// ownCPU is this process's CPU time so far (its children's not included): during a
// process-pool probe, the parent's work. -1 where it cannot be read.
func ownCPU() time.Duration {
	var ru unix.Rusage
	if unix.Getrusage(unix.RUSAGE_SELF, &ru) != nil {
		return -1
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
