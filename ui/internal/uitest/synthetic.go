package uitest

import "github.com/coreography/coreography/internal/timeline"

// SyntheticTrace is lanes workers handing work around in 5µs..80µs stretches, events
// in all, on two cores: a GIL run's worth of hand-offs.
func SyntheticTrace(lanes, events int) *timeline.Trace {
	t := &timeline.Trace{Meta: timeline.Meta{Model: "gil", Workers: lanes, Cores: 2, Tasks: events / 4}, Begin: 1_000_000}
	perLane := events / lanes
	var end int64
	for li := range lanes {
		l := timeline.LaneData{Name: "T" + string(rune('1'+li%9))}
		at, used := t.Begin, int64(0)
		for i := range perLane {
			st := []timeline.State{timeline.Running, timeline.WaitGIL, timeline.IO, timeline.Running}[(i+li)%4]
			l.Events = append(l.Events, timeline.Event{T: at, CPUTime: used, Task: int32(i / 4), CPU: int16((i / 7) % 2), State: st})
			d := int64(5_000 + (i*7919+li*104729)%75_000)
			if st == timeline.Running {
				used += d
			}
			at += d
		}
		end = max(end, at)
		t.Lanes = append(t.Lanes, l)
	}
	t.End = end
	return t
}
