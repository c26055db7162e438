package timeline

import (
	"slices"
	"sort"
)

// Trace is a recorded run, or a snapshot of one still going.
type Trace struct {
	Meta
	Begin, End  int64 // CLOCK_MONOTONIC ns; while Live, End is when the snapshot was taken
	Live        bool
	Lanes       []LaneData // one per worker, in the order the engine made them
	TasksDone   int64
	GILSwitches int64
	IPCBytes    int64
	SamplerCPU  int64 // ns; 0 unless a /proc sampler watched the run
	// UnattributedCPU is CPU (ns) the kernel counted for a watched tree that no lane
	// holds: processes that started and ended unseen. It is part of the run's CPU.
	UnattributedCPU int64
	// UnattributedOn is where UnattributedCPU ran, core → ns, as far as the kernel's
	// per-core counters could place it (nil: not placed). Per-core time counts it;
	// no lane draws it.
	UnattributedOn map[int]int64

	Results                       []Result        // every finished task, in the order it finished (results.go)
	CounterExpected, CounterFinal int64           // the shared counter of add(N) steps: planned and read at the end
	Counter                       []CounterSample // the counter as it grew, where the engine samples it (counter.go)
}

// LaneData is one worker lane of a trace: events in time order.
type LaneData struct {
	Name   string
	Events []Event
}

// Span is a stretch of one state on one lane.
type Span struct {
	Start, End int64
	State      State
	Task       int32
	CPU        int16
	PID, TID   int32
	CPUTime    int64 // CPU time used during the span, ns; -1 when not measured
	Lane       int   // index into Trace.Lanes
}

// Duration of the span in nanoseconds.
func (s Span) Duration() int64 { return s.End - s.Start }

// Search returns the index of the event in force at t: the last one at or before t,
// or -1 when t is before the first.
func (l LaneData) Search(t int64) int {
	return sort.Search(len(l.Events), func(i int) bool { return l.Events[i].T > t }) - 1
}

// Span returns the span that starts at event i, ending at the next event or at end.
func (l LaneData) Span(i int, end int64) Span {
	e := l.Events[i]
	s := Span{Start: e.T, End: end, State: e.State, Task: e.Task, CPU: e.CPU, PID: e.PID, TID: e.TID, CPUTime: NoCPUTime}
	if i+1 < len(l.Events) {
		next := l.Events[i+1]
		s.End = min(next.T, end)
		if e.CPUTime >= 0 && next.CPUTime >= e.CPUTime && next.PID == e.PID && next.TID == e.TID {
			s.CPUTime = next.CPUTime - e.CPUTime
		}
	}
	s.Start = min(s.Start, s.End)
	return s
}

// Spans calls fn for every span of the lane overlapping [from, to), clipped to it,
// stopping early if fn returns false. Off spans are skipped.
func (l LaneData) Spans(from, to int64, fn func(Span) bool) {
	i := max(l.Search(from), 0)
	for ; i < len(l.Events) && l.Events[i].T < to; i++ {
		s := l.Span(i, to)
		if s.State == Off || s.End <= from {
			continue
		}
		s.Start = max(s.Start, from)
		if !fn(s) {
			return
		}
	}
}

// CPUs lists, in order, every core a worker was seen on.
func (t *Trace) CPUs() []int {
	seen := map[int]bool{}
	for _, l := range t.Lanes {
		for _, e := range l.Events {
			if e.CPU >= 0 {
				seen[int(e.CPU)] = true
			}
		}
	}
	cpus := make([]int, 0, len(seen))
	for c := range seen {
		cpus = append(cpus, c)
	}
	slices.Sort(cpus)
	return cpus
}

// CoreLane is what one core did: the on-CPU spans of every worker seen on it, by start.
type CoreLane struct {
	CPU   int
	Spans []Span
}

// CoreLanes turns worker lanes into core lanes. Attribution comes from the core each
// worker read at its state changes and while computing, so a span that moved cores
// shows on both.
func (t *Trace) CoreLanes() []CoreLane {
	byCPU := map[int]*CoreLane{}
	for li, l := range t.Lanes {
		l.Spans(t.Begin, t.End, func(s Span) bool {
			if s.State.OnCPU() && s.CPU >= 0 {
				s.Lane = li
				c := byCPU[int(s.CPU)]
				if c == nil {
					c = &CoreLane{CPU: int(s.CPU)}
					byCPU[int(s.CPU)] = c
				}
				c.Spans = append(c.Spans, s)
			}
			return true
		})
	}
	out := make([]CoreLane, 0, len(byCPU))
	for _, c := range byCPU {
		slices.SortFunc(c.Spans, func(a, b Span) int { return int(a.Start - b.Start) })
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b CoreLane) int { return a.CPU - b.CPU })
	return out
}
