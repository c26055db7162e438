package pools

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coreography/coreography/internal/timeline"
)

// runGIL is CPython's threading: N OS threads that must hold one global lock to run
// CPU work. The lock follows CPython 3.2+ (Python/ceval_gil.c): a thread that wants it
// waits at most the switch interval, then asks the holder to drop it; the holder drops
// it at its next check (every slice of CPU work) and, so it cannot take it straight
// back, waits until another thread has taken it. Waiting for I/O releases it.
func runGIL(r *run) error {
	g := &gil{interval: r.spec.SwitchInterval, rec: r.rec, holder: -1}
	// A cancelled run wakes every waiting thread, so none sleeps out its interval.
	woken := make(chan struct{})
	stopWaking := context.AfterFunc(r.ctx, func() { g.wakeAll(); close(woken) })
	defer func() {
		if !stopWaking() {
			<-woken
		}
	}()
	var next atomic.Int64
	defer r.cancelQueued(&next)()
	return r.onThreads(threadNames(r.spec.Workers), func(w int, p *probe) error {
		t := g.thread(w, r, p)
		defer t.exit()
		// As in a Python worker thread, taking the next task is Python code: it needs the lock.
		if err := t.acquire(); err != nil {
			return err
		}
		return r.work(&next, &stepper{p: p, web: r.web, ctx: r.ctx, check: t.check, unlock: t.release, relock: t.acquire, ctr: r.ctr, gil: true, gate: r.race})
	})
}

// gil is the global interpreter lock. Waiting is blocking (a futex, or a channel and
// a timer, as CPython's condition variables), so a thread waiting for it uses no CPU.
type gil struct {
	interval time.Duration
	rec      *timeline.Recorder

	// dropRequest is CPython's gil_drop_request: set by a waiter whose wait timed out,
	// read by the holder every slice of CPU work, so it is atomic rather than under mu.
	dropRequest atomic.Bool

	mu       sync.Mutex
	locked   bool
	holder   int          // the thread that took the lock last; -1 before anyone did
	switches uint64       // hand-offs so far: CPython's switch_number
	waiters  []*gilThread // threads waiting in acquire, woken one at a time (a condition's signal)
	threads  []*gilThread // every thread, to wake them all when the run is cancelled
	forced   *gilThread   // the thread that dropped on request and waits for the next hand-off
}

// gilThread is one thread's side of the lock.
type gilThread struct {
	g       *gil
	r       *run
	p       *probe
	id      int
	wake    *wakeup
	holding bool
}

func (g *gil) thread(id int, r *run, p *probe) *gilThread {
	t := &gilThread{g: g, r: r, p: p, id: id, wake: newWakeup()}
	g.mu.Lock()
	g.threads = append(g.threads, t)
	g.mu.Unlock()
	return t
}

// acquire takes the lock: CPython's take_gil. When it is free that is all; otherwise
// the lane shows WaitGIL until the lock is ours, then Running again: the thread runs
// Python code.
func (t *gilThread) acquire() error {
	g := t.g
	g.mu.Lock()
	if !g.locked {
		t.take()
		g.mu.Unlock()
		if t.p.state == timeline.WaitGIL { // asked to drop, and the lock came straight back
			t.p.enter(timeline.Running, t.p.task)
		}
		return nil
	}
	g.mu.Unlock()
	if t.p.state != timeline.WaitGIL { // check has already said so when it was asked to drop
		t.p.enter(timeline.WaitGIL, t.p.task)
	}
	g.mu.Lock()
	for g.locked {
		saved := g.switches
		t.wake.reset()
		g.waiters = append(g.waiters, t)
		g.mu.Unlock()
		signalled := false
		err := t.r.check() // after reset: a cancellation's wake-up cannot be lost
		if err == nil {
			signalled = t.wake.wait(g.interval)
		}
		g.mu.Lock()
		g.forget(t)
		if err != nil {
			g.mu.Unlock()
			return err
		}
		// Waited a whole interval and nobody switched meanwhile: ask the holder to drop it.
		if !signalled && g.locked && g.switches == saved {
			g.dropRequest.Store(true)
		}
	}
	t.take()
	g.mu.Unlock()
	t.p.enter(timeline.Running, t.p.task)
	return nil
}

// take marks the lock as held by t. g.mu is held.
func (t *gilThread) take() {
	g := t.g
	g.locked, t.holding = true, true
	if g.holder != t.id {
		if g.holder >= 0 {
			g.switches++
			g.rec.Add(timeline.GILSwitches, 1)
		}
		g.holder = t.id
		if g.forced != nil {
			g.forced.wake.signal()
			g.forced = nil
		}
	}
	// Whoever asked for the lock has it now, or will ask again after another interval.
	g.dropRequest.Store(false)
}

// release lets the lock go before an I/O wait; the lane already shows IO.
func (t *gilThread) release() { t.drop(true) }

// drop lets the lock go and wakes one waiter. Forced switching: when the holder drops
// because a waiter asked, it waits until some other thread has taken the lock, or it
// would usually win it straight back and starve the waiter (the pre-3.2 GIL's flaw).
func (t *gilThread) drop(forceSwitch bool) {
	g := t.g
	g.mu.Lock()
	g.locked, t.holding = false, false
	if len(g.waiters) > 0 {
		g.waiters[0].wake.signal()
		g.waiters = g.waiters[1:]
	}
	if !forceSwitch || !g.dropRequest.Load() || g.holder != t.id {
		g.mu.Unlock()
		return
	}
	g.dropRequest.Store(false)
	// Waiting on the thread's own futex rather than a channel keeps Go's scheduler out of
	// the hand-off: the woken thread runs at once instead of queueing behind the holder.
	g.forced = t
	for g.holder == t.id && t.r.check() == nil {
		t.wake.reset()
		g.mu.Unlock()
		t.wake.wait(g.interval) // woken by the next take, or by a cancelled run's wakeAll
		g.mu.Lock()
	}
	if g.forced == t {
		g.forced = nil
	}
	g.mu.Unlock()
}

// check runs between slices of CPU work: it honours a drop request, as CPython's eval
// loop does between bytecodes, and stops the work once the run is cancelled.
func (t *gilThread) check() error {
	if err := t.r.check(); err != nil {
		return err
	}
	if !t.g.dropRequest.Load() {
		return nil
	}
	t.p.enter(timeline.WaitGIL, t.p.task) // before dropping: never two lanes Running at once
	t.drop(true)
	return t.acquire()
}

// exit gives the lock up for good when the thread ends (no tasks left, or stopping):
// it does not wait for a switch, as CPython's final release does not.
func (t *gilThread) exit() {
	if t.holding {
		t.p.enter(timeline.Idle, timeline.NoTask)
		t.drop(false)
	}
}

// forget removes a waiter that stopped waiting: woken, timed out or cancelled. g.mu is held.
func (g *gil) forget(t *gilThread) {
	if i := slices.Index(g.waiters, t); i >= 0 {
		g.waiters = slices.Delete(g.waiters, i, i+1)
	}
}

// wakeAll wakes every thread, so a cancelled run does not wait out switch intervals.
func (g *gil) wakeAll() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, t := range g.threads {
		t.wake.signal()
	}
}
