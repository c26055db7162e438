package timeline

import (
	"testing"
	"time"
)

// runLane is one worker running task from a to b (ms), its CPU clock at cpu ms by b.
func runLane(name string, task int32, a, b, cpu int64) LaneData {
	ms := int64(time.Millisecond)
	return LaneData{Name: name, Events: []Event{
		{T: a * ms, CPUTime: 0, Task: task, State: Running, CPU: 0},
		{T: b * ms, CPUTime: cpu * ms, Task: NoTask, State: Off, CPU: 0},
	}}
}

func TestLostCountsOnlyWhatTheRunsOwnThreadsDoNotExplain(t *testing.T) {
	ms := time.Millisecond
	for _, tc := range []struct {
		name      string
		lanes     []LaneData
		planned   time.Duration // each task's
		others    Others
		lost      time.Duration
		disturbed bool
	}{
		{
			// A busy program on another core: the run never waited, whatever others used.
			"serial beside a loop elsewhere", []LaneData{runLane("main", 0, 0, 400, 400)},
			400 * ms, Others{CPU: 400 * ms, Cores: 1, Span: 400 * ms, QueueKnown: true}, 0, false,
		},
		{
			// The same run sharing its core: it waited half its time.
			"serial sharing its core", []LaneData{runLane("main", 0, 0, 800, 400)},
			400 * ms, Others{CPU: 400 * ms, Cores: 1, Span: 800 * ms, Queue: 400 * ms, QueueKnown: true}, 400 * ms, true,
		},
		{
			// Four threads on two cores wait for each other, not for anyone else.
			"four threads on two cores", []LaneData{runLane("T1", 0, 0, 200, 100), runLane("T2", 1, 0, 200, 100),
				runLane("T3", 2, 0, 200, 100), runLane("T4", 3, 0, 200, 100)},
			100 * ms, Others{Cores: 2, Span: 200 * ms, Queue: 400 * ms, QueueKnown: true}, 0, false,
		},
		{
			// Nobody's CPU, but the hypervisor took a third of the core.
			"steal", []LaneData{runLane("main", 0, 0, 300, 300)},
			300 * ms, Others{Cores: 1, Span: 300 * ms, Steal: 100 * ms, QueueKnown: true}, 100 * ms, true,
		},
		{
			// cpu(100ms) that took 150 ms of CPU: a slower clock.
			"slow CPU", []LaneData{runLane("main", 0, 0, 150, 150)},
			100 * ms, Others{Cores: 1, Span: 150 * ms, QueueKnown: true}, 50 * ms, true,
		},
		{
			// 110 ms of CPU for 100 planned is within a calibration's drift.
			"CPU a little over", []LaneData{runLane("main", 0, 0, 110, 110)},
			100 * ms, Others{Cores: 1, Span: 110 * ms, QueueKnown: true}, 0, false,
		},
	} {
		planned := []Planned{{Count: len(tc.lanes), Each: tc.planned}} // one task per lane
		tr := &Trace{Meta: Meta{Tasks: len(tc.lanes), Planned: planned, Others: &tc.others}, End: int64(tc.others.Span), Lanes: tc.lanes}
		s := Compute(tr)
		if s.Lost == nil {
			t.Fatalf("%s: no Lost from a trace whose queue is known", tc.name)
		}
		if got := s.Lost.Total(); got != tc.lost || s.Disturbed != tc.disturbed {
			t.Errorf("%s: lost %v disturbed %v, want %v and %v (%+v)", tc.name, got, s.Disturbed, tc.lost, tc.disturbed, *s.Lost)
		}
	}
}

// A trace from before the run's queue was measured keeps the old rule: others' CPU.
func TestLostUnknownFallsBackOnOthers(t *testing.T) {
	tr := &Trace{Meta: Meta{Others: &Others{CPU: 300 * time.Millisecond, Cores: 1, Span: time.Second}},
		End: int64(time.Second), Lanes: []LaneData{runLane("main", 0, 0, 1000, 700)}}
	s := Compute(tr)
	if s.Lost != nil || !s.Disturbed {
		t.Fatalf("lost %+v disturbed %v: want no Lost, and disturbed by others' 30 %%", s.Lost, s.Disturbed)
	}
	if _, ok := s.Values()["lost_s"]; ok {
		t.Error("Values has lost_s for a run that did not measure it: unknown must be absent")
	}
}
