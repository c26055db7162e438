package pools

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coreography/coreography/internal/timeline"
)

// finished records how task i, started at start, ended: err is what its steps
// returned. A fail step makes it Failed, as an exception raised in a worker that
// surfaces at result(); the worker goes on to its next task. Any other error stops
// the run and is returned.
func (r *run) finished(i int, start int64, err error) error {
	outcome := timeline.Done
	switch {
	case errors.Is(err, errTaskFailed):
		outcome = timeline.Failed
	case err != nil:
		return err
	}
	r.rec.Finished(timeline.Result{Task: int32(i), Outcome: outcome, Submit: r.begin, Start: start, End: timeline.Now()})
	r.rec.AddIncrements(r.tasks[i].Increments())
	r.rec.Add(timeline.TasksDone, 1)
	r.gate.finished(1)
	return nil
}

// cancelQueued arms the spec's cancel-after: at that time after the run began, every
// task no worker has taken from the queue shared through next is cancelled, as
// executor.shutdown(cancel_futures=True) does; running tasks finish. The returned stop
// disarms it, or waits for it to finish recording if it fired.
func (r *run) cancelQueued(next *atomic.Int64) (stop func()) {
	if r.spec.CancelAfter <= 0 {
		return func() {}
	}
	return armAt(r.begin+int64(r.spec.CancelAfter), func() {
		// Taking every index at once: a worker's next take finds the queue empty.
		first := next.Swap(int64(len(r.tasks)))
		cancelTasks(r.rec, r.begin, int(first), len(r.tasks))
	})
}

// armAt calls fn at monotonic time at, on a goroutine of its own. The returned stop
// disarms it, or waits for fn to return if it has started, so nothing is recorded
// after the run has ended.
func armAt(at int64, fn func()) (stop func()) {
	var fired sync.WaitGroup
	fired.Add(1)
	t := time.AfterFunc(time.Duration(at-timeline.Now()), func() {
		defer fired.Done()
		fn()
	})
	return func() {
		if t.Stop() {
			fired.Done()
		}
		fired.Wait()
	}
}

// cancelTasks records tasks [first, end) as cancelled now. They count as done (a
// cancelled Future is done) but do not open a later phase: that waits for the tasks
// before it, which were all taken before these.
func cancelTasks(rec *timeline.Recorder, submit int64, first, end int) int {
	now := timeline.Now()
	for i := first; i < end; i++ {
		rec.Finished(timeline.Result{Task: int32(i), Outcome: timeline.Cancelled, Submit: submit, End: now})
	}
	if n := end - first; n > 0 {
		rec.Add(timeline.TasksDone, int64(n))
		return n
	}
	return 0
}

// cancelQueued arms a processes run's cancel-after: chunks (or, fresh, tasks) not yet
// sent to a worker are cancelled, as ProcessPoolExecutor cancels the work items not
// yet moved to its call queue; a chunk sent is running, and finishes.
func (p *procPool) cancelQueued() (stop func()) {
	if p.spec.CancelAfter <= 0 {
		return func() {}
	}
	return armAt(p.begin+int64(p.spec.CancelAfter), func() {
		first := 0
		if p.spec.Fresh {
			first = int(min(p.next.Swap(int64(len(p.tasks))), int64(len(p.tasks))))
		} else if c := int(p.next.Swap(int64(len(p.chunks)))); c < len(p.chunks) {
			first = p.chunks[c].first
		} else {
			first = len(p.tasks)
		}
		if n := cancelTasks(p.rec, p.begin, first, len(p.tasks)); n > 0 && p.done.Add(int64(n)) == int64(len(p.tasks)) {
			close(p.allDone)
		}
	})
}

// outcomes records the results of chunk c, checked, as the tasks' outcomes.
func (p *procPool) outcomes(c chunkSpan, m resultsMsg) {
	for k, r := range m.Results {
		p.rec.Finished(timeline.Result{Task: int32(c.first + k), Outcome: r.Outcome, Submit: p.begin, Start: r.Start, End: r.End})
		p.rec.AddIncrements(p.tasks[c.first+k].Increments())
	}
}
