package cpython

import (
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

// Observer tells the sampler what it cannot see in /proc: which lane a thread is drawn
// on, and what an asleep thread was waiting for.
type Observer interface {
	// Lane returns the lane for a thread, creating it; nil leaves the thread undrawn
	// (for now). ran says whether the thread used CPU in the interval being drawn.
	Lane(pid, tid int32, comm string, ran bool) *timeline.Lane
	// Asleep says what a thread that was asleep at t was waiting for (Idle, WaitGIL or
	// IO) and on which task; blockedInKernel is /proc's D state.
	Asleep(pid, tid int32, t int64, blockedInKernel bool) (timeline.State, int32)
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
		e.State, e.Task = obs.Asleep(pid, tid, s.from, s.state == 'D')
	}
	return e
}

// gilCounter counts, per process, how often the thread holding the interpreter changes:
// the thread that ran in an interval is the one that held the GIL in it. Threads that
// ran side by side (more CPU than wall time between them: a free-threaded build, or
// separate processes) are not hand-offs and are not counted.
type gilCounter struct {
	last map[int32]int32 // pid → the thread seen running last
}

func (g *gilCounter) interval(pid int32, ran map[int32]int64, wall int64, nowRunning int32) int64 {
	if g.last == nil {
		g.last = map[int32]int32{}
	}
	var total int64
	var holders []int32
	for tid, r := range ran {
		if r >= ranAtLeast {
			total += r
			holders = append(holders, tid)
		}
	}
	if len(holders) == 0 || float64(total) > 1.5*float64(wall) {
		return 0
	}
	last, seen := g.last[pid]
	next := holders[0]
	if len(holders) > 1 && nowRunning != 0 {
		next = nowRunning
	}
	g.last[pid] = next
	if !seen {
		return int64(len(holders) - 1)
	}
	switches := int64(len(holders))
	for _, h := range holders {
		if h == last {
			switches--
		}
	}
	return switches
}
