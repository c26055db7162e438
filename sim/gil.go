package sim

import (
	"slices"

	"github.com/coreography/coreography/internal/timeline"
)

// gil is CPython's global interpreter lock with the rules of pools/gil.go (CPython
// 3.2+, Python/ceval_gil.c): a waiter waits at most the switch interval, then sets a
// drop request if nobody switched meanwhile; the holder drops at its next check and,
// when it dropped on request, waits until another thread has taken the lock; an I/O
// wait releases it. A drop wakes one waiter, which runs after a hand-off latency.
type gil struct {
	m        *machine
	interval int64
	handoff  int64 // from a drop until the woken thread runs
	slack    int64 // how late a waiter's timed wait ends
	refill   int64 // CPU a thread spends after taking the lock from another, before its work goes on
	locked   bool
	holder   int32 // the thread that took the lock last; -1 before anyone did
	switches int64
	drop     bool      // gil_drop_request
	waiters  []*thread // first in, first woken
	forced   *thread   // dropped on request, waits for the next take
}

func newGIL(m *machine, interval int64, prof Profile) *gil {
	return &gil{m: m, interval: interval, handoff: int64(prof.GILHandoff), slack: int64(prof.GILTimeoutSlack), refill: int64(prof.GILSwitchCPU), holder: -1}
}

// acquire takes the lock for th and returns true, or queues th as a waiter (lane
// WaitGIL) and returns false: advance is called with pc then once it holds the lock.
func (g *gil) acquire(th *thread, then int) bool {
	th.pc = then
	if !g.locked {
		g.take(th)
		return true
	}
	g.m.emit(th, timeline.WaitGIL, th.cur, timeline.NoCPU)
	g.enqueue(th)
	return false
}

// enqueue starts one wait of at most the switch interval.
// A timed wait ends late by the kernel's timer slack: slack ns, measured.
func (g *gil) enqueue(th *thread) {
	th.saved = g.switches
	th.waiting = true
	th.gen++
	g.waiters = append(g.waiters, th)
	g.m.schedule(g.m.now+g.interval+g.slack, th, evTimeout, 0)
}

func (g *gil) forget(th *thread) {
	th.waiting = false
	if i := slices.Index(g.waiters, th); i >= 0 {
		g.waiters = slices.Delete(g.waiters, i, i+1)
	}
}

// take marks the lock as th's, counting a switch when it changes hands and waking the
// thread that was forced to drop it.
func (g *gil) take(th *thread) {
	g.locked, th.holding = true, true
	if g.holder != th.id {
		if g.holder >= 0 {
			th.debt += g.refill
			g.switches++
			g.m.rec.Add(timeline.GILSwitches, 1)
		}
		g.holder = th.id
		if f := g.forced; f != nil {
			g.forced = nil
			g.m.schedule(g.m.now+g.handoff, f, evWake, 1)
		}
	}
	g.drop = false
}

// release lets the lock go and wakes the first waiter. On a forced switch with a drop
// request pending, th waits until another thread takes the lock and release returns
// false: advance is called with pc then after. Otherwise it returns true at once.
func (g *gil) release(th *thread, forceSwitch bool, then int) bool {
	g.locked, th.holding = false, false
	if len(g.waiters) > 0 {
		w := g.waiters[0]
		g.waiters = g.waiters[1:]
		w.waiting = false
		w.gen++ // its timeout is stale: it was signalled
		g.m.schedule(g.m.now+g.handoff, w, evWake, 0)
	}
	if !forceSwitch || !g.drop || g.holder != th.id {
		return true
	}
	g.drop = false
	g.forced = th
	th.pc = then
	return false
}

// onEvent handles a waiter's timeout (evTimeout), a signalled waiter's wake-up
// (evWake, arg 0) and a forced dropper's wake-up (evWake, arg 1).
func (g *gil) onEvent(th *thread, e event) {
	switch {
	case e.kind == evTimeout:
		if e.gen != th.gen || !th.waiting {
			return
		}
		g.forget(th)
		ask := g.locked && g.switches == th.saved
		// As in pools: the waiter sets the drop request and waits again, so the holder's
		// drop wakes it, and the hand-off's latency is time in which no thread runs.
		g.retry(th)
		if ask {
			g.request()
		}
	case e.arg == 0: // signalled by a drop
		if e.gen != th.gen {
			return
		}
		g.retry(th)
	default: // forced dropper: another thread took the lock; now it wants it back
		g.m.advance(th)
	}
}

// retry is a waiter's loop in take_gil: take the lock if it is free, else wait again.
func (g *gil) retry(th *thread) {
	if g.locked {
		g.enqueue(th)
		return
	}
	g.take(th)
	g.m.emit(th, timeline.Running, th.cur, timeline.NoCPU)
	g.m.advance(th)
}

// request sets the drop request. A holder computing on a core drops at once (it checks
// every ~10 µs of work); one waiting for a core drops when it gets one (onCore).
func (g *gil) request() {
	g.drop = true
	h := g.m.threads[g.holder]
	if h.core >= 0 {
		g.m.stop(h)
		g.forcedDrop(h)
	} else if h.queued {
		h.interrupt = true
	}
}

// onCore is the holder's check on getting a core back: a pending drop request makes
// it drop before it computes on. It returns true when th let the core go.
func (g *gil) onCore(th *thread) bool {
	if !th.interrupt {
		return false
	}
	th.interrupt = false
	if !g.drop || !th.holding {
		return false
	}
	c := th.core
	th.core = -1
	g.m.release(c)
	g.forcedDrop(th)
	g.m.next(c)
	return true
}

// forcedDrop is the holder honouring a drop request in the middle of its work: it
// shows WaitGIL, drops, waits for a taker, takes the lock back and finishes the work.
func (g *gil) forcedDrop(th *thread) {
	g.m.emit(th, timeline.WaitGIL, th.cur, timeline.NoCPU)
	if g.release(th, true, pcReacquire) {
		g.acquireThen(th)
	}
}

// pcReacquire: a forced dropper was woken by the next take; it queues for the lock.
const pcReacquire = pcStartIO + 1

func (g *gil) acquireThen(th *thread) {
	if g.acquire(th, pcResume) {
		g.m.advance(th)
	}
}
