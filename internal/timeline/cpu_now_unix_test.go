//go:build unix

package timeline

import (
	"syscall"
	"time"
)

// processCPUNow is this process's CPU time so far, user and system: on a shared
// machine, steadier than wall time.
func processCPUNow() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
