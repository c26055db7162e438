package calibrate

import (
	"slices"
	"time"

	"github.com/coreography/coreography/internal/timeline"
)

// What the this-machine profile reads from the traces of its probe runs.

// runningCPU is the CPU time spent in Running spans: the tasks' work and whatever the
// engine adds inside it, without the waits around it.
func runningCPU(tr *timeline.Trace) time.Duration {
	var sum int64
	for _, l := range tr.Lanes {
		for i := range l.Events {
			if sp := l.Span(i, tr.End); sp.State == timeline.Running {
				sum += max(sp.CPUTime, 0)
			}
		}
	}
	return time.Duration(sum)
}

// medianIdleGap is the median stretch in which no lane was Running, between the first
// Running span and the last: in a GIL run of CPU-bound threads, each is a hand-off,
// from the holder's drop until the thread it woke runs. 0 when there are none.
func medianIdleGap(tr *timeline.Trace) time.Duration {
	var gaps []int64
	running := func(sp timeline.Span) bool { return sp.State == timeline.Running && sp.End > sp.Start }
	tr.Occupancy(running, func(from, to int64, open int) {
		if open == 0 {
			gaps = append(gaps, to-from)
		}
	})
	return median(gaps)
}

// medianTakeCycle is the median time between successive GIL takes by different
// threads (a lane going from WaitGIL to Running): one switch interval's cycle.
func medianTakeCycle(tr *timeline.Trace) time.Duration {
	var takes []int64
	for _, l := range tr.Lanes {
		for i := 1; i < len(l.Events); i++ {
			if l.Events[i].State == timeline.Running && l.Events[i-1].State == timeline.WaitGIL {
				takes = append(takes, l.Events[i].T)
			}
		}
	}
	slices.Sort(takes)
	var cycles []int64
	for i := 1; i < len(takes); i++ {
		cycles = append(cycles, takes[i]-takes[i-1])
	}
	return median(cycles)
}

func median(xs []int64) time.Duration { return time.Duration(timeline.Median(xs)) }

// medianBy is timeline.Median of figure over items; 0 for none.
func medianBy[S any](items []S, figure func(S) float64) float64 {
	xs := make([]float64, len(items))
	for i, it := range items {
		xs[i] = figure(it)
	}
	return timeline.Median(xs)
}

// loopCosts reads an asyncio run of N coroutines that each await one io(wait): the
// loop's CPU per first resume (start up to the await), the extra CPU of a last resume
// (a coroutine that returns has its outcome recorded), and how late the loop woke for
// the first timer (Go's timers, as the netpoller waits, are late by up to a millisecond).
func loopCosts(tr *timeline.Trace, wait time.Duration) (step, end, late time.Duration) {
	seen := map[int32]bool{}
	var first, second []int64
	firstAwait, secondStart := int64(-1), int64(-1)
	for _, l := range tr.Lanes {
		for i := range l.Events {
			sp := l.Span(i, tr.End)
			if sp.State != timeline.Running || sp.Task < 0 {
				continue
			}
			if !seen[sp.Task] {
				seen[sp.Task] = true
				first = append(first, max(sp.CPUTime, 0))
				if firstAwait < 0 {
					firstAwait = sp.End
				}
				continue
			}
			second = append(second, max(sp.CPUTime, 0))
			if secondStart < 0 {
				secondStart = sp.Start
			}
		}
	}
	if len(first) == 0 || len(second) == 0 {
		return 0, 0, 0
	}
	sum := func(xs []int64) (s int64) {
		for _, x := range xs {
			s += x
		}
		return s
	}
	step = time.Duration(sum(first) / int64(len(first)))
	end = max(time.Duration(sum(second)/int64(len(second)))-step, 0)
	late = max(time.Duration(secondStart-firstAwait)-wait, 0)
	return step, end, late
}
