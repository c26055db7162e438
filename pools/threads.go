package pools

import (
	"runtime"
	"strconv"
	"sync/atomic"

	"github.com/coreography/coreography/internal/procwatch"
	"github.com/coreography/coreography/internal/timeline"
)

// runThreads is a pool of N OS threads with no lock between them: each pulls the next
// task from a shared queue, so CPU work runs truly in parallel on as many cores as
// the OS gives it (Go, Java, free-threaded Python).
func runThreads(r *run) error { return pull(r, threadNames(r.spec.Workers)) }

// pull runs the tasks on one thread per lane name, each taking the next task from a
// shared queue until none is left. The queue is an atomic index into the task list:
// taking a task costs one atomic add, so tiny tasks measure the pool, not a channel.
func pull(r *run, names []string) error {
	var next atomic.Int64
	defer r.cancelQueued(&next)()
	return r.onThreads(names, func(_ int, p *probe) error {
		return r.work(&next, &stepper{p: p, web: r.web, ctx: r.ctx, check: r.check, ctr: r.ctr, gate: r.race})
	})
}

// work takes tasks from the queue shared through next and does them until none is
// left or the run stops. Taking a task is one atomic add.
func (r *run) work(next *atomic.Int64, s *stepper) error {
	for {
		if err := r.check(); err != nil {
			return err
		}
		i := next.Add(1) - 1
		if i >= int64(len(r.tasks)) {
			return nil
		}
		if err := r.awaitPhase(int(i), s); err != nil {
			return err
		}
		start := timeline.Now()
		if err := r.finished(int(i), start, s.run(int32(i), r.tasks[i])); err != nil {
			return err
		}
	}
}

// awaitPhase holds task i back until its phase may start. The thread waits Idle and,
// under a GIL, without the lock, as a Python thread blocked on a future would.
func (r *run) awaitPhase(i int, s *stepper) error {
	if r.gate.isOpen(i) {
		return nil
	}
	s.p.enter(timeline.Idle, timeline.NoTask)
	if s.unlock != nil {
		s.unlock()
	}
	if err := r.gate.wait(r.ctx, i); err != nil {
		return err
	}
	if s.relock != nil {
		return s.relock()
	}
	return nil
}

// threadNames are the lanes of a pool of n threads: T1, T2, …
func threadNames(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = "T" + strconv.Itoa(i+1)
	}
	return names
}

// onThreads runs body on one new OS thread per lane name, in the run's errgroup, and
// waits for them all. The first body (or pin) to fail cancels the run's context, so
// the others stop at their next check; its error is what onThreads returns.
//
// Each thread is locked for good: it is never unlocked, so when its goroutine ends the
// runtime retires the thread and a cores: K affinity never leaks into the rest of the
// program. Lanes are made here, in order, so T1 is always above T2; the probe is made
// on the thread it records. A lane starts Idle (the thread exists, no task yet) and
// always ends with Off, which closes its last span and its CPU time. What the thread
// waited for a core meanwhile is added to the run's RunQueue.
func (r *run) onThreads(names []string, body func(worker int, p *probe) error) error {
	lanes := make([]*timeline.Lane, len(names))
	for i, name := range names {
		lanes[i] = r.rec.Lane(name)
	}
	for w, lane := range lanes {
		r.group.Go(func() error {
			runtime.LockOSThread()
			if err := pinThread(r.spec.Cores); err != nil {
				return err
			}
			waited, _ := procwatch.ThreadRunDelay()
			p := newProbe(lane)
			p.enter(timeline.Idle, timeline.NoTask)
			err := body(w, p)
			p.enter(timeline.Off, timeline.NoTask)
			if now, ok := procwatch.ThreadRunDelay(); ok {
				r.rec.Add(timeline.RunQueue, int64(now-waited))
			}
			return err
		})
	}
	return r.group.Wait()
}
