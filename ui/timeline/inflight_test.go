package timeline

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// waitingTrace is workers threads each waiting on I/O for one task of wait, started
// one ms apart, with every task's Result: fifty threads all waiting. lanes 1 with
// many tasks is a loop of coroutines instead.
func waitingTrace(lanes, tasks int, wait time.Duration) *timeline.Trace {
	ms := int64(time.Millisecond)
	t := &timeline.Trace{Meta: timeline.Meta{Model: "gil", Workers: lanes, Cores: 2, Tasks: tasks}, Begin: uitest.Begin}
	t.Lanes = make([]timeline.LaneData, lanes)
	for i := range t.Lanes {
		t.Lanes[i].Name = fmt.Sprintf("T%d", i+1)
	}
	for k := range tasks {
		start, end := uitest.Begin+int64(k)*ms/int64(max(tasks/50, 1)), uitest.Begin+int64(k)*ms/int64(max(tasks/50, 1))+int64(wait)
		l := &t.Lanes[k%lanes]
		if len(l.Events) == 0 || lanes > 1 {
			l.Events = append(l.Events,
				timeline.Event{T: start, CPUTime: timeline.NoCPUTime, Task: int32(k), PID: 1, TID: int32(10 + k%lanes), CPU: int16(k % 2), State: timeline.IO},
				timeline.Event{T: end, CPUTime: timeline.NoCPUTime, Task: -1, PID: 1, TID: int32(10 + k%lanes), CPU: int16(k % 2), State: timeline.Idle})
		}
		t.Results = append(t.Results, timeline.Result{Task: int32(k), Outcome: timeline.Done, Submit: uitest.Begin, Start: start, End: end})
		t.End = max(t.End, end+ms)
	}
	return t
}

// TestInflightLane: fifty waiting threads in a few lines keep their worker lanes
// over the blank core lanes, say how many are hidden, and draw how many tasks were
// under way; a loop of 10,000 coroutines draws them even with room for every lane.
func TestInflightLane(t *testing.T) {
	threads := waitingTrace(50, 50, 50*time.Millisecond)
	tl := NewTimeline(nil)
	d := tl.Draw([]*timeline.Trace{threads}, threads.End-threads.Begin, -1, -1, 80, 8)
	view := d.String()
	for _, want := range []string{"T1", "tasks ", "+2 core lanes hidden", "worker lanes hidden", "tasks: how many under way, ▇ = 50"} {
		if !strings.Contains(view, want) {
			t.Errorf("50 waiting threads in 8 lines: no %q in\n%s", want, view)
		}
	}
	if len(d.Lanes) > 8 {
		t.Errorf("drew %d lane lines in 8", len(d.Lanes))
	}
	loop := waitingTrace(1, 10000, 50*time.Millisecond)
	view = NewTimeline(nil).Draw([]*timeline.Trace{loop}, loop.End-loop.Begin, -1, -1, 80, 0).String()
	if !strings.Contains(view, "▇ = 10000") || uitest.LaneLine(view, "tasks") == "" {
		t.Errorf("10,000 coroutines on one loop: no in-flight lane in\n%s", view)
	}
	golden.RequireEqual(t, "50 threads waiting, 8 lines:\n"+uitest.Plain(d.String())+"\n10,000 coroutines:\n"+uitest.Plain(view))
}

// TestHiddenLanesNeverSilent: however few lines, a frame that hides lanes says how
// many, in a line of its own or in the legend.
func TestHiddenLanesNeverSilent(t *testing.T) {
	tr := uitest.Trace(t, "processes", 2, "8*cpu(50ms)")
	for lines := 1; lines <= 4; lines++ {
		for _, mode := range []LaneMode{LanesBoth, LanesCores, LanesWorkers} {
			tl := NewTimeline(nil)
			tl.SetMode(mode)
			d := tl.Draw([]*timeline.Trace{tr}, tr.End-tr.Begin, -1, -1, 80, lines)
			want := tl.LinesWanted([]*timeline.Trace{tr})
			if len(d.Lanes) < want && !strings.Contains(d.String(), " hidden") && !strings.Contains(d.Legend, "lane") {
				t.Errorf("%v in %d lines: lanes hidden without a word:\n%s", mode, lines, d.String())
			}
		}
	}
}

// TestMostAtOnceCache: a Timeline works out a trace's most tasks at once again when a
// task has ended since (a live run), and gives the same answer as maxInflight.
func TestMostAtOnceCache(t *testing.T) {
	tr := &timeline.Trace{Begin: 1, End: 100, Results: []timeline.Result{{Task: 0, Start: 10, End: 50}, {Task: 1, Start: 20, End: 60}}}
	var c coreCache
	traces := []*timeline.Trace{tr}
	c.cpus(traces)
	if got := c.mostAtOnce(traces); got[0] != 2 {
		t.Fatalf("two overlapping tasks: most %d at once", got[0])
	}
	tr.Results = append(tr.Results, timeline.Result{Task: 2, Start: 30, End: 40})
	if got, want := c.mostAtOnce(traces)[0], maxInflight(tr); got != 3 || got != want {
		t.Errorf("after a third task ended inside both: most %d, maxInflight %d, want 3", got, want)
	}
}

// maxInflight is the most tasks under way at any start, counted one by one: a task
// that ends where another starts is not under way with it.
func TestMaxInflightCountsOverlaps(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		tr := &timeline.Trace{}
		for range rng.IntN(40) {
			start := 1 + rng.Int64N(20) // small range: many ties
			tr.Results = append(tr.Results, timeline.Result{Start: start, End: start + 1 + rng.Int64N(8)})
		}
		want := 0
		for _, a := range tr.Results {
			n := 0
			for _, b := range tr.Results {
				if b.Start <= a.Start && a.Start < b.End {
					n++
				}
			}
			want = max(want, n)
		}
		if got := maxInflight(tr); got != want {
			t.Fatalf("trial %d: maxInflight %d, counted %d, for %+v", trial, got, want, tr.Results)
		}
	}
}
