package panel

import (
	"os"
	"strconv"
	"time"

	"golang.org/x/sys/unix"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
)

// threadMeter sums the CPU clocks of this process's threads, one by one, leaving out
// the run's worker threads. A thread's clock is read with clock_gettime on its own
// CPU clock id (what pthread_getcpuclockid gives), so it is the scheduler's
// nanosecond count, the clock the workers' events are stamped with.
type threadMeter struct {
	last  map[int32]int64 // each observer thread's clock at the last read
	total time.Duration   // observer CPU added up over reads
}

func newObserverMeter() common.CPUMeter { return &threadMeter{} }

// threadCPUClock is Linux's MAKE_THREAD_CPUCLOCK(tid, CPUCLOCK_SCHED).
func threadCPUClock(tid int32) int32 { return int32(^uint32(tid)<<3) | 6 }

func (m *threadMeter) Read(traces []*timeline.Trace) (time.Duration, bool) {
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return 0, false
	}
	workers := workerThreads(traces)
	now := make(map[int32]int64, len(tasks))
	for _, d := range tasks {
		tid, err := strconv.Atoi(d.Name())
		if err != nil || workers[int32(tid)] {
			continue
		}
		var ts unix.Timespec
		if unix.ClockGettime(threadCPUClock(int32(tid)), &ts) != nil {
			continue // it has just exited
		}
		ns := ts.Nano()
		now[int32(tid)] = ns
		if m.last != nil {
			// A thread first seen since the last read counts from its start.
			m.total += time.Duration(max(ns-m.last[int32(tid)], 0))
		}
	}
	m.last = now
	return m.total, true
}
