package pools

import (
	"container/heap"
	"context"
	"fmt"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// runAsyncio is an asyncio event loop: one thread, lane "loop", runs every task as a
// coroutine, all started at once (asyncio.gather). A coroutine runs until it awaits:
// cpu(d) runs on the loop thread and blocks every other coroutine, io(d) and http(d)
// suspend it until its timer fires or its response arrives. The lane shows Running
// with the coroutine's task while coroutine code runs, and Idle while the loop waits.
func runAsyncio(r *run) error {
	return r.onThreads([]string{"loop"}, func(_ int, p *probe) error {
		// Two resumes a coroutine, each an event: room for them before the clock matters.
		p.reserve(2*len(r.tasks) + 16)
		// The same for the loop's own state: every coroutine is ready once and sleeps once.
		n := len(r.tasks)
		l := &eventLoop{r: r, p: p, next: mapped(make([]int32, n)), started: mapped(make([]int64, n)),
			ready: mapped(make([]int32, 0, n)), timers: mapped(make(timerHeap, 0, n)),
			completions: make(chan fetched, 64), steps: stepper{p: p, ctx: r.ctx, check: r.check, ctr: r.ctr}}
		var stopRequests context.CancelFunc
		l.requests, stopRequests = context.WithCancel(r.ctx)
		defer stopRequests()
		return l.run(stopRequests)
	})
}

// mapped returns s with all of its backing array written. Fresh memory from the OS is
// mapped only when first written, and those page faults belong before the run's clock,
// not on the loop thread's CPU clock during it: they made one run's loop cost half as
// much again as the next one's.
func mapped[S ~[]E, E any](s S) S {
	clear(s[:cap(s)])
	return s
}

// eventLoop is the loop's state; only the loop thread touches it.
type eventLoop struct {
	r        *run
	p        *probe
	ready    []int32          // coroutines (task indexes) to resume, in order
	next     []int32          // each coroutine's next step
	started  []int64          // when each coroutine first ran; 0 while it has not
	steps    stepper          // for fail and add(N), which run on the loop thread like cpu(d)
	cancel   <-chan time.Time // fires at the spec's cancel-after; nil when not armed
	timers   timerHeap
	finished int
	phase    int // the "then" phase whose coroutines have been started

	// completions carries finished http requests back to the loop. Each request runs
	// in a goroutine that blocks in Go's netpoller (epoll), not on a thread of its own:
	// that is what asyncio's selector does for a socket, and the loop thread never waits
	// for one request in particular.
	completions chan fetched
	inFlight    int
	requests    context.Context // the http steps' context: the run's, ended early when the loop fails
}

// fetched is an http step that finished, for coroutine task.
type fetched struct {
	task int32
	err  error
}

func (l *eventLoop) run(stopRequests context.CancelFunc) (err error) {
	defer func() {
		if err != nil {
			stopRequests() // cancels the requests still in flight, so the drain below is quick
		}
		for ; l.inFlight > 0; l.inFlight-- {
			<-l.completions
		}
	}()
	l.startPhase(0)
	defer l.armCancel()()
	wait := time.NewTimer(time.Hour)
	defer wait.Stop()
	for l.finished < len(l.r.tasks) {
		for len(l.ready) > 0 {
			if err := l.r.check(); err != nil {
				return err
			}
			if l.pollCancel(); len(l.ready) == 0 {
				break
			}
			i := l.ready[0]
			l.ready = l.ready[1:]
			if err := l.resume(i); err != nil {
				return err
			}
		}
		l.ready = l.ready[:0:0] // let the drained queue's array go; the next batch is smaller
		if err := l.collect(); err != nil {
			return err
		}
		l.pollCancel()
		if len(l.ready) > 0 || l.finished == len(l.r.tasks) {
			continue
		}
		if err := l.idle(wait); err != nil {
			return err
		}
	}
	return nil
}

// resume runs coroutine i until it awaits or returns.
func (l *eventLoop) resume(i int32) error {
	l.p.enter(timeline.Running, i)
	if l.started[i] == 0 {
		l.started[i] = timeline.Now()
	}
	steps := l.r.tasks[i].Steps
	for int(l.next[i]) < len(steps) {
		st := steps[l.next[i]]
		l.next[i]++
		switch st.Kind {
		case experiment.CPU, experiment.Hash: // C code blocks the loop as Python code does
			if err := compute(st.D, l.p, l.r.check); err != nil {
				return err
			}
		case experiment.IO:
			l.timers.push(timer{at: timeline.Now() + int64(st.D), task: i})
			return nil
		case experiment.HTTP:
			l.inFlight++
			go func() {
				l.completions <- fetched{task: i, err: l.r.web.get(l.requests, st.D)}
			}()
			return nil
		case experiment.Fail, experiment.Add:
			if err := l.steps.run(i, experiment.Task{Steps: []experiment.Step{st}}); err != nil {
				return l.end(i, err)
			}
		}
	}
	return l.end(i, nil)
}

// end records how coroutine i ended (err from its last step) and starts the next
// phase once this one is done.
func (l *eventLoop) end(i int32, err error) error {
	if err := l.r.finished(int(i), l.started[i], err); err != nil {
		return err
	}
	l.finished++
	if starts := l.r.gate.starts; l.phase+1 < len(starts) && l.finished == starts[l.phase+1] {
		l.startPhase(l.phase + 1)
	}
	return nil
}

// startPhase makes every coroutine of phase k ready at once: the program awaits
// asyncio.gather of one phase's tasks before it gathers the next.
func (l *eventLoop) startPhase(k int) {
	l.phase = k
	starts := l.r.gate.starts
	end := len(l.r.tasks)
	if k+1 < len(starts) {
		end = starts[k+1]
	}
	for i := starts[k]; i < end; i++ {
		l.ready = append(l.ready, int32(i))
	}
}

// collect makes ready every coroutine whose timer is due or whose response is in,
// without waiting.
func (l *eventLoop) collect() error {
	now := timeline.Now()
	for len(l.timers) > 0 && l.timers[0].at <= now {
		l.ready = append(l.ready, l.timers.pop().task)
	}
	for {
		select {
		case f := <-l.completions:
			if err := l.completed(f); err != nil {
				return err
			}
		default:
			return nil
		}
	}
}

func (l *eventLoop) completed(f fetched) error {
	l.inFlight--
	if f.err != nil {
		if err := l.r.check(); err != nil {
			return err
		}
		return fmt.Errorf("task %d: %w", f.task, f.err)
	}
	l.ready = append(l.ready, f.task)
	return nil
}

// idle blocks the loop thread until the earliest timer is due or a response arrives:
// the select() at the bottom of every asyncio loop iteration.
func (l *eventLoop) idle(wait *time.Timer) error {
	l.p.enter(timeline.Idle, timeline.NoTask)
	var due <-chan time.Time
	if len(l.timers) > 0 {
		wait.Reset(time.Duration(l.timers[0].at - timeline.Now()))
		due = wait.C
	}
	select {
	case f := <-l.completions:
		wait.Stop()
		if err := l.completed(f); err != nil {
			return err
		}
	case <-due:
	case <-l.cancel:
		l.cancelQueued()
	case <-l.r.done:
		return l.r.check()
	}
	return l.collect()
}

// timer is a suspended io(d): resume task at the monotonic time at.
type timer struct {
	at   int64
	task int32
}

// timerHeap is the loop's min-heap (container/heap) of timers by due time, as
// asyncio's _scheduled: 10,000 sleeping coroutines cost 10,000 small entries, not
// 10,000 goroutines. push and pop go through heap.Fix: heap.Push and heap.Pop pass
// each timer as an any, an allocation on the loop thread's clock every await.
type timerHeap []timer

func (h timerHeap) Len() int           { return len(h) }
func (h timerHeap) Less(i, j int) bool { return h[i].at < h[j].at }
func (h timerHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *timerHeap) Push(x any)        { *h = append(*h, x.(timer)) }
func (h *timerHeap) Pop() any {
	s := *h
	t := s[len(s)-1]
	*h = s[:len(s)-1]
	return t
}

func (h *timerHeap) push(t timer) {
	*h = append(*h, t)
	heap.Fix(h, len(*h)-1)
}

func (h *timerHeap) pop() timer {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	*h = s[:last]
	if last > 0 {
		heap.Fix(h, 0)
	}
	return top
}

// armCancel starts the spec's cancel-after timer, if any, and returns its stop.
func (l *eventLoop) armCancel() (stop func()) {
	if l.r.spec.CancelAfter <= 0 {
		return func() {}
	}
	t := time.NewTimer(time.Duration(l.r.begin + int64(l.r.spec.CancelAfter) - timeline.Now()))
	l.cancel = t.C
	return func() { t.Stop() }
}

// pollCancel cancels the queued coroutines if cancel-after has passed, without waiting.
func (l *eventLoop) pollCancel() {
	select {
	case <-l.cancel:
		l.cancelQueued()
	default:
	}
}

// cancelQueued cancels every coroutine that has not started yet: Task.cancel() on a
// task still waiting for its first turn means it never runs. Coroutines that have
// started run on to the end, as an executor's running tasks do.
func (l *eventLoop) cancelQueued() {
	l.cancel = nil
	kept := l.ready[:0]
	now := timeline.Now()
	for _, i := range l.ready {
		if l.started[i] != 0 {
			kept = append(kept, i)
			continue
		}
		l.r.rec.Finished(timeline.Result{Task: i, Outcome: timeline.Cancelled, Submit: l.r.begin, End: now})
		l.r.rec.Add(timeline.TasksDone, 1)
		l.finished++
	}
	l.ready = kept
	if starts := l.r.gate.starts; l.phase+1 < len(starts) { // later phases never start
		l.finished += cancelTasks(l.r.rec, l.r.begin, starts[l.phase+1], len(l.r.tasks))
		l.phase = len(starts) - 1
	}
}
