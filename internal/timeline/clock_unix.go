//go:build unix

package timeline

import (
	"time"

	"golang.org/x/sys/unix"
)

// monoBase pairs one CLOCK_MONOTONIC reading with a Go time taken beside it, so Now
// can use Go's vDSO clock (tens of ns) instead of a system call per event.
var monoBase, goBase = func() (int64, time.Time) {
	base := time.Now()
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		return 0, base
	}
	return ts.Nano(), base
}()

// Now is CLOCK_MONOTONIC in nanoseconds. Unlike Go's per-process monotonic reading it
// means the same in every process on the machine, so worker subprocesses can send
// their timestamps over a pipe. Go's monotonic clock is CLOCK_MONOTONIC on Linux, so
// the two differ only by the sub-microsecond gap between the two base readings.
func Now() int64 { return monoBase + int64(time.Since(goBase)) }

// ProcessCPU is the CPU time this process has used so far, user and system, its
// children's not included: on a shared machine a steadier measure of its own work
// than the wall clock. false where it cannot be read.
func ProcessCPU() (time.Duration, bool) {
	var ru unix.Rusage
	if unix.Getrusage(unix.RUSAGE_SELF, &ru) != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
