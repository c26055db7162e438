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

// plannedOf is task i's planned time, or 0 when the meta does not say.
func plannedOf(groups []Planned, i int) time.Duration {
	for _, g := range groups {
		if i < g.Count {
			return g.Each
		}
		i -= g.Count
	}
	return 0
}

// taskTimes measures each task's wall time inside the pool: from the first event that
// names the task (a worker took it: waiting for the lock, computing, or receiving it
// through a pipe) to the end of the last span that names it. Queueing before a worker
// takes a task is not inside the pool and does not count. slowdown is the median of
// each task's wall ÷ its planned time; 0 when no task has a planned time.
func taskTimes(t *Trace) (p50, maxWall time.Duration, slowdown float64) {
	type window struct{ start, end int64 }
	seen := map[int32]*window{}
	for _, l := range t.Lanes {
		for i := range l.Events {
			task := l.Events[i].Task
			if task < 0 {
				continue
			}
			sp := l.Span(i, t.End)
			w := seen[task]
			if w == nil {
				seen[task] = &window{sp.Start, sp.End}
				continue
			}
			w.start, w.end = min(w.start, sp.Start), max(w.end, sp.End)
		}
	}
	if len(seen) == 0 {
		return 0, 0, 0
	}
	walls := make([]time.Duration, 0, len(seen))
	var ratios []float64
	for task, w := range seen {
		d := time.Duration(w.end - w.start)
		walls = append(walls, d)
		if plan := plannedOf(t.Planned, int(task)); plan > 0 {
			ratios = append(ratios, d.Seconds()/plan.Seconds())
		}
	}
	slices.Sort(walls)
	slices.Sort(ratios)
	if len(ratios) > 0 {
		slowdown = median(ratios)
	}
	return median(walls), walls[len(walls)-1], slowdown
}

// median of sorted values: the middle one, or the mean of the middle two.
func median[T time.Duration | float64](sorted []T) T {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}
