// Package procwatch observes any process tree from outside: the scheduler's own
// tracepoints where the kernel permits it (exact), /proc samples otherwise, turned into
// timeline lanes per thread, with cores, CPU, and the GIL for CPython processes.
package procwatch

import (
	"fmt"
	"time"

	"github.com/coreography/coreography/internal/timeline"
)

// SampleEvery is how often the sampler reads every thread's state: 1 kHz resolves a
// CPython GIL hand-off (every 5 ms by default) at a few per cent of one core.
const SampleEvery = time.Millisecond

// settleLag is how far behind the newest sample the sampler turns samples into events:
// long enough for the driver's record of what a thread was doing at that moment to
// have crossed the pipe, short enough not to be seen.
const settleLag = 20 * time.Millisecond

// ranAtLeast is how much CPU a thread must get in one sample interval to count as
// holding the GIL in it, for counting switches.
const ranAtLeast = 100_000 // ns

// Sleep is what the sampler could see of a thread asleep through an interval.
type Sleep struct {
	InKernel  bool // /proc's D state: uninterruptible, nearly always disk or page I/O
	TimedWait bool // in a futex wait with a timeout, as CPython's GIL waiters are
	Python    bool // its process runs CPython
}

// Observer tells the sampler what it cannot see in /proc: which lane a thread is drawn
// on, and what an asleep thread was waiting for.
type Observer interface {
	// Lane returns the lane for a thread, creating it; nil leaves the thread undrawn
	// (for now). ran says whether the thread used CPU in the interval being drawn.
	Lane(pid, tid int32, comm string, ran bool) *timeline.Lane
	// Asleep says what a thread that was asleep at t was waiting for (Idle, WaitGIL or
	// IO) and on which task.
	Asleep(pid, tid int32, t int64, how Sleep) (timeline.State, int32)
	// Task is the task a thread worked on at t, or timeline.NoTask.
	Task(pid, tid int32, t int64) int32
}

// sample is one reading of one thread, turned into what happened since the last.
type sample struct {
	t       int64 // CLOCK_MONOTONIC ns at the reading
	from    int64 // the previous reading: the interval this sample describes is (from, t]
	runtime int64 // CPU ns used by the thread at from (schedstat)
	ran     int64 // CPU ns in the interval
	waited  int64 // ns on a run queue in the interval
	core    int16 // the core it last ran on
	state   byte  // /proc state letter at t: R, S, D…
	wasR    bool  // runnable at from too (the previous reading's state was R)
	gone    bool  // the thread has exited
	timed   bool  // asleep at t in a futex wait with a timeout
	python  bool  // the thread's process runs CPython
}

// classify turns one interval into a state: running on its core, preempted (runnable,
// waiting for a core), or asleep, whatever the observer says it slept for. Whichever
// took most of the interval wins.
func classify(pid, tid int32, s sample, obs Observer) timeline.Event {
	e := timeline.Event{T: s.from, CPUTime: s.runtime, PID: pid, TID: tid, CPU: timeline.NoCPU}
	wall := s.t - s.from
	asleep := wall - s.ran - s.waited
	switch {
	case s.ran >= s.waited && s.ran >= asleep:
		e.State, e.CPU = timeline.Running, s.core
		e.Task = obs.Task(pid, tid, s.from)
	case s.waited >= asleep || (s.state == 'R' && s.wasR):
		// Runnable but not running. Time neither run nor queued, for a thread runnable
		// at both ends of the interval, was taken by the hypervisor (steal time): that
		// is preempted too. (Runnable only at the end is a sleeper that just woke.)
		e.State = timeline.Preempted
		e.Task = obs.Task(pid, tid, s.from)
	default:
		e.State, e.Task = obs.Asleep(pid, tid, s.from, Sleep{InKernel: s.state == 'D', TimedWait: s.timed, Python: s.python})
	}
	if s.ran > 0 {
		// The CPU it did use in the interval was used on its core: per-core time
		// holds all of a thread's CPU, whichever state the interval is drawn in.
		e.CPU = s.core
	}
	return e
}

// gilCounter counts, per CPython process, how often the thread holding the interpreter
// changes hands. A hand-off is a thread that runs after it was seen asleep in a timed
// wait, as CPython's GIL waiters sleep, while another thread held the GIL last. The
// CPU figures cannot tell it: /proc's schedstat adds a running thread's CPU only at a
// tick or a switch, so a running thread reads as idle for milliseconds and then as
// having run more than the interval. Threads time-sliced on one core never sleep, so
// they hand over the core, not the GIL, and are not counted; nor are the threads of a
// free-threaded build, which run side by side without waiting.
type gilCounter struct {
	last map[int32]int32 // pid → the thread that held the GIL last
}

// holder is one thread's share of an interval, for the GIL counter.
type holder struct {
	tid     int32
	ran     int64
	waited  bool // seen asleep in a timed wait since it last held the GIL
	running bool // runnable at the reading: still on a core as the interval ends
}

// interval counts the hand-offs in one sample of a process's threads. Of several that
// held the GIL in it, the one holding it at the end is one that took over from a wait,
// else one still runnable.
func (g *gilCounter) interval(pid int32, threads []holder) int64 {
	if g.last == nil {
		g.last = map[int32]int32{}
	}
	last, seen := g.last[pid]
	var switches int64
	next, rank := int32(0), -1
	for _, h := range threads {
		if h.ran < ranAtLeast {
			continue
		}
		if seen && h.waited && h.tid != last {
			switches++
		}
		r := 0
		if h.waited {
			r += 2
		}
		if h.running {
			r++
		}
		if r > rank {
			next, rank = h.tid, r
		}
	}
	if rank >= 0 {
		g.last[pid] = next
	}
	return switches
}

// Note is what every view of a py-* run says about where its states come from.
func Note() string {
	if SamplerAvailable {
		return fmt.Sprintf("observed from outside: thread states inferred from /proc samples every %v", SampleEvery)
	}
	return "CPython task spans from the driver; per-core lanes and thread states need Linux"
}
