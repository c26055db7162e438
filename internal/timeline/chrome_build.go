package timeline

import (
	"fmt"
	"slices"
	"time"
)

// What import does once the file is read: the run checked as a whole, and each lane's
// slices turned into the recorder's events.

// sliceSlack is how far a slice may run past the next or past the end: rounding in
// traces written with float microseconds.
const sliceSlack = 1000

// build checks the run as a whole and turns each lane's slices into events.
func (d *chromeReader) build() (*Trace, error) {
	span := d.end - d.begin
	switch {
	case !d.model:
		return nil, fmt.Errorf("not a coreography trace: otherData names no model")
	case span < 0:
		return nil, fmt.Errorf("otherData: end_ns %d is before begin_ns %d", d.end, d.begin)
	case span > maxImportSpan:
		return nil, fmt.Errorf("otherData: the run spans %v (begin_ns %d to end_ns %d), more than a day", time.Duration(span), d.begin, d.end)
	case d.meta.Tasks > 0 && d.counts[TasksDone] > int64(d.meta.Tasks):
		return nil, fmt.Errorf("otherData: tasks_done %d is more than the %d tasks", d.counts[TasksDone], d.meta.Tasks)
	}
	t := &Trace{Meta: d.meta, Begin: d.begin, End: d.end, Lanes: make([]LaneData, len(d.lanes)),
		TasksDone: d.counts[TasksDone], GILSwitches: d.counts[GILSwitches], IPCBytes: d.counts[IPCBytes]}
	if err := d.res.restore(t); err != nil {
		return nil, err
	}
	for li := range d.lanes {
		l := &d.lanes[li]
		t.Lanes[li].Name = l.name
		events, err := laneEvents(l, span, d.begin)
		if err != nil {
			return nil, fmt.Errorf("lane %d (%s): %w", li, l.name, err)
		}
		t.Lanes[li].Events = events
		l.chunks = nil // let the read form go as the compact one is built
	}
	return t, nil
}

// laneEvents checks a lane's slices for time order and fills the gaps between them,
// or after the last, with Off: a lane's events then say what it did until the end.
func laneEvents(l *importLane, span, begin int64) ([]Event, error) {
	chunks := l.chunks
	if l.unsorted {
		ss := make([]importSlice, 0, l.n)
		for _, c := range chunks {
			ss = append(ss, c...)
		}
		slices.SortStableFunc(ss, func(a, b importSlice) int { return cmpInt64(a.T, b.T) })
		chunks = [][]importSlice{ss}
	}
	gaps := 0
	err := eachSlice(chunks, func(s, next *importSlice) error {
		if s.end > span+sliceSlack {
			return fmt.Errorf("a %s slice ends at %s µs, after the run's end at %s µs", s.State, micros(s.end), micros(span))
		}
		if next != nil && next.T < s.end-sliceSlack {
			return fmt.Errorf("slices overlap: one at %s µs runs to %s µs, past the next at %s µs",
				micros(s.T), micros(s.end), micros(next.T))
		}
		if gapAfter(s, next, span) {
			gaps++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	events := make([]Event, 0, l.n+gaps)
	_ = eachSlice(chunks, func(s, next *importSlice) error {
		e := s.Event
		e.T += begin
		events = append(events, e)
		if gapAfter(s, next, span) {
			// A gap between slices, or a lane that ended early, was an Off stretch.
			events = append(events, Event{T: begin + s.end, State: Off, Task: NoTask, CPU: NoCPU, CPUTime: NoCPUTime})
		}
		return nil
	})
	return events, nil
}

// eachSlice calls fn with each slice in order and the one after it (nil for the last).
func eachSlice(chunks [][]importSlice, fn func(s, next *importSlice) error) error {
	var prev *importSlice
	for _, c := range chunks {
		for i := range c {
			if prev != nil {
				if err := fn(prev, &c[i]); err != nil {
					return err
				}
			}
			prev = &c[i]
		}
	}
	if prev != nil {
		return fn(prev, nil)
	}
	return nil
}

func gapAfter(s, next *importSlice, span int64) bool {
	if next != nil {
		return next.T > s.end
	}
	return s.end < span
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
