package timeline

import (
	"time"
)

// Lost is the time a run lost to others, in its parts. A run is disturbed when it
// lost more than DisturbedShare of the cores it used over its wall time: what others
// took from a core the run never used is no part of it, and a slowdown nobody's CPU
// explains (a hypervisor's steal, a slower clock) is.
type Lost struct {
	// Queue is the run-queue delay of the run's own threads (schedstat), summed.
	Queue time.Duration
	// Own is the part of Queue the run explains itself: more runnable threads than
	// cores it may use, and the app's own CPU beside the workers.
	Own time.Duration
	// Bound is the most core time others can have taken from the run: the CPU they
	// used on as many cores as it used (a hundred threads waiting behind one program's
	// millisecond lost one millisecond of a core, not a hundred).
	Bound time.Duration
	// Steal is the hypervisor's steal time on the run's cores.
	Steal time.Duration
	// SlowCPU is CPU that ran slower than calibrated: each cpu-bound task's CPU time
	// beyond its planned time, where that is well over it (slowTaskFactor).
	SlowCPU time.Duration
	// Capacity is the cores the run used × the time it was watched: what Total is a
	// share of.
	Capacity time.Duration
	Cores    int // the cores the run used: its threads, at most the cores it may use
}

// Total is what others cost the run: the queue its own threads do not explain, the
// steal and the slow CPU.
func (l Lost) Total() time.Duration { return l.Waited() + l.Steal + l.SlowCPU }

// Waited is the queue the run's own threads do not explain, at most Bound.
func (l Lost) Waited() time.Duration { return min(max(l.Queue-l.Own, 0), l.Bound) }

// Share is Total as a share of Capacity (0 when nothing was watched).
func (l Lost) Share() float64 {
	if l.Capacity <= 0 {
		return 0
	}
	return l.Total().Seconds() / l.Capacity.Seconds()
}

// Disturbed reports whether the run lost more than DisturbedShare of its capacity.
func (l Lost) Disturbed() bool {
	return l.Capacity > 0 && float64(l.Total()) > DisturbedShare*float64(l.Capacity)
}

// slowTaskFactor is how far over its planned time a task's own CPU time must be
// before the excess counts as lost: CPU time alone never exceeds the planned time of
// a task by the work itself (waits use none), so only a slower clock, a cache taken
// by a neighbour or a stale calibration puts it well over; a calibration made
// minutes ago on a shared machine drifts by less than this.
const slowTaskFactor = 1.25

// slowTaskAtLeast is the shortest planned task whose CPU time is compared: a tiny
// task's CPU time is mostly the pool's own cost per task, not its work.
const slowTaskAtLeast = 5 * time.Millisecond

// lostOf measures what t lost, or nil when the trace carries no run-queue figures
// (another OS, a model, a trace recorded before they existed).
func lostOf(t *Trace, wall time.Duration) *Lost {
	o := t.Others
	if o == nil || !o.QueueKnown {
		return nil
	}
	span := max(o.Span, wall)
	used := max(min(o.Cores, busyLanes(t, span)), 1)
	// Others' CPU on the cores the run did not use cost it nothing: the bound is their
	// CPU on as many of the watched cores as the run used.
	// The counters' slack is given to the run, as the rule before this one gave it.
	bound := max(o.CPU-o.Slack, 0) * time.Duration(used) / time.Duration(max(o.Cores, used))
	l := &Lost{Queue: o.Queue, Steal: o.Steal, SlowCPU: slowCPU(t), Capacity: time.Duration(used) * span, Cores: used,
		Bound: bound}
	l.Own = min(crowding(t, o.Cores)+o.App, l.Queue)
	return l
}

// crowding is how long the run's own threads waited for a core because more of them
// were runnable than the cores it may use: the integral of max(0, runnable − cores)
// over the trace. A thread waiting for the GIL is asleep in the kernel, not runnable.
func crowding(t *Trace, cores int) time.Duration {
	if cores <= 0 || len(t.Lanes) <= cores {
		return 0
	}
	var over time.Duration
	t.Occupancy(func(sp Span) bool { return sp.State.OnCPU() || sp.State == Preempted }, func(from, to int64, runnable int) {
		if runnable > cores {
			over += time.Duration(int64(runnable-cores) * (to - from))
		}
	})
	return over
}

// slowCPU adds up, over the tasks planned at slowTaskAtLeast or more, the CPU time
// beyond the planned time of each whose CPU time is slowTaskFactor over it.
func slowCPU(t *Trace) time.Duration {
	if t.CounterExpected > 0 {
		// add(N) is planned from an estimate of an increment's cost, which a contended
		// lock or cache line multiplies: CPU over its plan is the lesson, not a slow clock.
		return 0
	}
	planned := newPlannedTimes(t.Planned)
	used := map[int32]time.Duration{}
	for _, l := range t.Lanes {
		for i := range l.Events {
			e := l.Events[i]
			if e.State != Running || e.Task < 0 {
				continue
			}
			if sp := l.Span(i, t.End); sp.CPUTime > 0 {
				used[e.Task] += time.Duration(sp.CPUTime)
			}
		}
	}
	var slow time.Duration
	for task, cpu := range used {
		p := planned.of(int(task))
		if p >= slowTaskAtLeast && float64(cpu) > slowTaskFactor*float64(p) {
			slow += cpu - p
		}
	}
	return slow
}

// busyLanes counts the lanes that used a core for a twentieth of span or more: the
// threads that did the run's work, not an interpreter's helper threads that woke now
// and then (CPython's py-serial has three lanes and one worker).
func busyLanes(t *Trace, span time.Duration) int {
	n := 0
	for _, l := range t.Lanes {
		var cpu time.Duration
		for i := range l.Events {
			sp := l.Span(i, t.End)
			switch {
			case sp.CPUTime >= 0:
				cpu += time.Duration(sp.CPUTime)
			case sp.State.OnCPU():
				cpu += time.Duration(sp.Duration())
			}
		}
		if cpu*20 >= span {
			n++
		}
	}
	return n
}
