//go:build unix

package ui

import (
	"time"

	"golang.org/x/sys/unix"
)

// processCPUNow is this process's CPU time so far, user and system.
func processCPUNow() time.Duration {
	var ru unix.Rusage
	_ = unix.Getrusage(unix.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
