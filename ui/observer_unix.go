//go:build unix

package ui

import (
	"time"

	"golang.org/x/sys/unix"
)

// processCPUTime is the CPU time this process has used, user and system. Worker
// subprocesses are children and not counted: the observer's cost is the app's own.
func processCPUTime() (time.Duration, bool) {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
