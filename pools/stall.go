package pools

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/coreography/coreography/internal/experiment"
)

// A worker process that is stopped (kill -STOP), wedged or starved forever would
// otherwise hang its run with no word. The pool's watchdog ends the run when a worker
// with work to do shows no sign of progress (no frame, no chunk taken, and where the
// OS says, no CPU time) for longer than stallLimit. CPU time is what keeps it from
// mis-firing on a loaded machine: a worker that gets even a sliver of a core is
// making progress.

// stallBase is the silence allowed on top of the longest step: generous enough for a
// process to start on a loaded laptop. A variable only so tests need not wait 10 s.
var stallBase atomic.Int64

func init() { stallBase.Store(int64(10 * time.Second)) }

// watchdogTick is how often the watchdog looks.
const watchdogTick = 500 * time.Millisecond

// stallLimit is how long a worker of this run may show no progress: twice the
// longest step (an io step shows neither output nor CPU time while it waits) plus
// stallBase.
func stallLimit(tasks experiment.Tasks) time.Duration {
	var longest time.Duration
	for _, g := range tasks.Groups {
		for _, s := range g.Task.Steps {
			longest = max(longest, s.D)
		}
	}
	return time.Duration(stallBase.Load()) + 2*longest
}

// progressed notes that the worker just showed progress.
func (w *workerProc) progressed() { w.progressAt.Store(time.Now().UnixNano()) }

// stalled reports whether the worker, holding work, has shown no progress for limit.
// Only the watchdog calls it (it owns cpuSeen).
func (w *workerProc) stalled(now time.Time, limit time.Duration) bool {
	if w.pending() == 0 {
		w.progressed() // waiting for work is not being stuck
		return false
	}
	if cpu, ok := processCPUTime(w.pid); ok && cpu != w.cpuSeen {
		w.cpuSeen = cpu
		w.progressed()
		return false
	}
	return now.Sub(time.Unix(0, w.progressAt.Load())) > limit
}

// watchdog returns an error naming the first stalled worker and its pid, which ends
// the run (the pool's coordinator then kills the other workers), or nil once stop
// closes.
func (p *procPool) watchdog(stop <-chan struct{}) error {
	limit := stallLimit(p.spec.Tasks)
	tick := time.NewTicker(watchdogTick)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return nil
		case now := <-tick.C:
			p.mu.Lock()
			var stuck *workerProc
			for w := range p.live {
				if stuck == nil && !w.closing.Load() && w.stalled(now, limit) {
					stuck = w
				}
			}
			p.mu.Unlock()
			if stuck != nil {
				return fmt.Errorf("processes: worker %d (pid %d)%s made no progress for %s with work to do: the run was ended and its other workers stopped",
					stuck.num, stuck.pid, processStateNote(stuck.pid), limit.Round(time.Second))
			}
		}
	}
}
