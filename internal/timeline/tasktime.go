package timeline

import (
	"slices"
	"time"
)

// Planned is a run of tasks that share one calibrated duration, in task order: the
// tasks of a spec's groups, so that task i's planned time is known without a list of
// every task (ten thousand tasks are two numbers here, not ten thousand).
type Planned struct {
	Count int           `json:"count"`
	Each  time.Duration `json:"each_ns"` // what one task takes alone on one idle core
}

// plannedTimes looks up a task's planned time among groups (which may come from an
// imported file: a negative count counts as none) by binary search over where each
// group ends, so a trace of many tasks and many groups stays cheap to measure.
type plannedTimes struct {
	ends []int // task index just past each group
	each []time.Duration
}

func newPlannedTimes(groups []Planned) plannedTimes {
	var pt plannedTimes
	end := 0
	for _, g := range groups {
		if g.Count <= 0 {
			continue
		}
		end += g.Count
		pt.ends, pt.each = append(pt.ends, end), append(pt.each, g.Each)
	}
	return pt
}

// of is task i's planned time, or 0 when the meta does not say.
func (pt plannedTimes) of(i int) time.Duration {
	g, _ := slices.BinarySearch(pt.ends, i+1)
	if i < 0 || g >= len(pt.ends) {
		return 0
	}
	return pt.each[g]
}

// neverRan is the planned work of the tasks cancelled before they started: work the
// run never did, so no part of its ideal serial time nor of its speed-up. Six of
// eight futures cancelled had read "speedup 8× (the waits overlapped)" for two tasks
// that ran side by side.
func neverRan(t *Trace) time.Duration {
	planned := newPlannedTimes(t.Planned)
	var d time.Duration
	for _, r := range t.Results {
		if r.Outcome == Cancelled && r.Start <= 0 {
			d += planned.of(int(r.Task))
		}
	}
	return d
}

// taskTimes measures each task's wall time inside the pool: from the first event that
// names the task (a worker took it: waiting for the lock, computing, or receiving it
// through a pipe) to the end of the last span that names it. Queueing before a worker
// takes a task is not inside the pool and does not count. slowdown is the median of
// each task's wall ÷ its planned time; 0 when no task has a planned time.
func taskTimes(t *Trace) (p50, maxWall time.Duration, slowdown float64) {
	events := 0
	for _, l := range t.Lanes {
		events += len(l.Events)
	}
	// No more tasks can be seen than there are events: an imported meta's task count
	// cannot make this allocate more than the trace itself holds.
	w := newTaskWindows(min(t.Tasks, events))
	for _, l := range t.Lanes {
		for i := range l.Events {
			if task := l.Events[i].Task; task >= 0 {
				sp := l.Span(i, t.End)
				w.add(task, sp.Start, sp.End)
			}
		}
	}
	planned := newPlannedTimes(t.Planned)
	walls := make([]time.Duration, 0, len(w.dense)+len(w.extra))
	ratios := make([]float64, 0, cap(walls))
	w.each(func(task int32, d time.Duration) {
		walls = append(walls, d)
		if plan := planned.of(int(task)); plan > 0 {
			ratios = append(ratios, d.Seconds()/plan.Seconds())
		}
	})
	if len(walls) == 0 {
		return 0, 0, 0
	}
	if len(ratios) > 0 {
		slowdown = Median(ratios)
	}
	return Median(walls), slices.Max(walls), slowdown
}

// taskWindows is where each task was first and last seen: a slice for the tasks the
// meta announces, a map for any others (an imported trace may name any index).
type taskWindows struct {
	dense []window // start == end == 0: not seen
	extra map[int32]window
}

type window struct{ start, end int64 }

func newTaskWindows(tasks int) taskWindows {
	return taskWindows{dense: make([]window, max(tasks, 0)), extra: map[int32]window{}}
}

func (tw *taskWindows) add(task int32, start, end int64) {
	if int(task) < len(tw.dense) {
		w := &tw.dense[task]
		if *w == (window{}) {
			*w = window{start, end}
		}
		w.start, w.end = min(w.start, start), max(w.end, end)
		return
	}
	w, ok := tw.extra[task]
	if !ok {
		w = window{start, end}
	}
	tw.extra[task] = window{min(w.start, start), max(w.end, end)}
}

func (tw *taskWindows) each(fn func(task int32, d time.Duration)) {
	for i, w := range tw.dense {
		if w != (window{}) {
			fn(int32(i), time.Duration(w.end-w.start))
		}
	}
	for task, w := range tw.extra {
		fn(task, time.Duration(w.end-w.start))
	}
}
