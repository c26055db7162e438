package timeline

import (
	"strings"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// TestFocusResolvesHandOffs: a GIL run too long for its 5 ms hand-offs to show in the
// overview gets a close-up in which a thread lane has at least three running and
// three waiting stretches, each at least two columns wide, at every usual width.
func TestFocusResolvesHandOffs(t *testing.T) {
	tr := uitest.Trace(t, experiment.GIL, 2, "8*cpu(200ms)")
	for _, width := range []int{60, 80, 100, 160} {
		c, ok := PickCloseUp([]*timeline.Trace{tr}, width, 0)
		if !ok {
			t.Fatalf("width %d: no close-up of a 1.6 s GIL run", width)
		}
		view := uitest.Plain(c.Draw(nil, width, 0).String())
		lane := uitest.LaneLine(view, "T1")
		if run, wait := uitest.Stretches(lane, '█', 2), uitest.Stretches(lane, '░', 2); run < 3 || wait < 3 {
			t.Errorf("width %d: T1 has %d running and %d waiting stretches of 2+ columns, want 3 each:\n%s", width, run, wait, view)
		}
	}
}

// TestFocusNotWhenResolved: a run whose spans already show in the overview, or one
// with a single long span per lane, needs no close-up.
func TestFocusNotWhenResolved(t *testing.T) {
	for _, run := range []struct {
		model experiment.Model
		tasks string
	}{{experiment.GIL, "4*cpu(20ms)"}, {experiment.Threads, "2*cpu(300ms)"}} {
		if c, ok := PickCloseUp([]*timeline.Trace{uitest.Trace(t, run.model, 2, run.tasks)}, 100, 0); ok {
			t.Errorf("%s %s: close-up %d-%d ns of a run the overview resolves", run.model, run.tasks, c.from, c.to)
		}
	}
}

func TestNiceFloor(t *testing.T) {
	for in, want := range map[int64]int64{1: 1, 7: 5, 10: 10, 19: 10, 20: 20, 49: 20, 50: 50, 99: 50, 123456: 100000} {
		if got := niceFloor(in); got != want {
			t.Errorf("niceFloor(%d) = %d, want %d", in, got, want)
		}
	}
}

// TestFocusFixedWidth: a lesson's focus: fixes the close-up's width, even for a run
// the overview resolves; wider than the run, there is none.
func TestFocusFixedWidth(t *testing.T) {
	tr := uitest.Trace(t, experiment.GIL, 2, "4*cpu(20ms)")
	c, ok := PickCloseUp([]*timeline.Trace{tr}, 100, int64(10*time.Millisecond))
	if !ok || c.to-c.from != int64(10*time.Millisecond) {
		t.Errorf("focus 10ms: close-up %v %d-%d", ok, c.from, c.to)
	}
	if _, ok := PickCloseUp([]*timeline.Trace{tr}, 100, int64(time.Second)); ok {
		t.Error("focus 1s of an 80 ms run: a close-up wider than the run")
	}
}

// The close-up goes to a run of several workers before a one-worker run that other
// programs preempted: the turns of threads are what the step is about.
func TestCloseUpPrefersSeveralWorkers(t *testing.T) {
	preempted := func(lanes int) *timeline.Trace {
		rec := timeline.NewRecorder(timeline.Meta{Model: "threads", Workers: lanes, Tasks: lanes})
		rec.Begin(uitest.Begin)
		for w := range lanes {
			l := rec.Lane("T" + string(rune('1'+w)))
			for k := int64(0); k < 200; k++ {
				st := timeline.Running
				if (k+int64(w))%2 == 1 {
					st = timeline.Preempted
				}
				l.Append(timeline.Event{T: uitest.Begin + k*int64(3*time.Millisecond), Task: int32(w), CPU: 0, State: st})
			}
			l.Append(timeline.Event{T: uitest.Begin + int64(600*time.Millisecond), Task: timeline.NoTask, State: timeline.Off})
		}
		rec.Finish(uitest.Begin + int64(600*time.Millisecond))
		return rec.Snapshot()
	}
	serial, threads := preempted(1), preempted(2)
	if _, ok := PickCloseUp([]*timeline.Trace{serial}, 100, 0); !ok {
		t.Fatal("no close-up of a preempted run at all: the test shows nothing")
	}
	if c, ok := PickCloseUp([]*timeline.Trace{serial, threads}, 100, 0); !ok || c.Trace != threads {
		t.Errorf("the close-up went to the one-worker run")
	}
}

// TestCloseUpIsThreadsOnly: where room is short (80×24 with a note above), the
// close-up of a GIL run whose tasks queued gives its lines to the threads, not to
// the queue and results rows the overview already shows (met: a close-up of two
// lines drew "queue" and "results" and no thread at all).
func TestCloseUpIsThreadsOnly(t *testing.T) {
	tr := uitest.Trace(t, experiment.GIL, 2, "4*cpu(300ms)")
	// Tasks 3 and 4 waited in the queue until the first two were done.
	half, span := (tr.End-tr.Begin)/2, tr.End-tr.Begin
	tr.Results = []timeline.Result{{Task: 0, End: half}, {Task: 1, End: half}, {Task: 2, Start: half, End: span}, {Task: 3, Start: half, End: span}}
	c, ok := PickCloseUp([]*timeline.Trace{tr}, 80, 0)
	if !ok {
		t.Fatal("no close-up of a 1.2 s GIL run")
	}
	for _, lanes := range []int{2, 0} {
		view := uitest.Plain(c.Draw(nil, 80, lanes).String())
		if uitest.LaneLine(view, "T1") == "" || uitest.LaneLine(view, "T2") == "" {
			t.Errorf("%d lines: the close-up lacks a thread lane:\n%s", lanes, view)
		}
		if strings.Contains(view, "queue") || strings.Contains(view, "results") {
			t.Errorf("%d lines: the close-up draws rows that sum the threads up:\n%s", lanes, view)
		}
	}
}
