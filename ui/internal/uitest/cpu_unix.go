//go:build unix

package uitest

import (
	"time"

	"golang.org/x/sys/unix"
)

// ProcessCPUNow is this process's CPU time so far, user and system.
func ProcessCPUNow() time.Duration {
	var ru unix.Rusage
	_ = unix.Getrusage(unix.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
