package undisturbed

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// noisy is a runner whose first disturbed runs lost half their time to others.
type noisy struct {
	disturbed int // runs that come back disturbed before a quiet one
	runs      int
	err       error
}

func (n *noisy) Run(_ context.Context, spec experiment.Spec, rec *timeline.Recorder) error {
	n.runs++
	if n.err != nil {
		return n.err
	}
	span := 100 * time.Millisecond
	o := timeline.Others{Cores: 1, Span: span, QueueKnown: true}
	if n.runs <= n.disturbed {
		o.Queue, o.CPU = span/2, span/2
	}
	lane := rec.Lane("main")
	lane.Append(timeline.Event{T: 0, State: timeline.Running, Task: 0})
	lane.Append(timeline.Event{T: int64(span), State: timeline.Off, Task: timeline.NoTask})
	rec.Begin(0)
	rec.Finish(int64(span))
	rec.SetOthers(o)
	return nil
}

func TestRunKeepsTheFirstUndisturbedRun(t *testing.T) {
	spec := experiment.Spec{Model: experiment.Serial, Workers: 1}
	for _, tc := range []struct {
		disturbed, tries, runs int
		stillDisturbed         bool
	}{
		{0, 3, 1, false},
		{2, 3, 3, false},
		{5, 3, 3, true}, // gives up after Tries, keeping the last, marked disturbed
		{5, 0, 1, true}, // less than one try is one
	} {
		r := &noisy{disturbed: tc.disturbed}
		var notes []int
		p := Policy{Tries: tc.tries}.WithNote(func(next int, s timeline.Stats) {
			if !s.Disturbed {
				t.Errorf("a note for an undisturbed run")
			}
			notes = append(notes, next)
		})
		res, err := Run(context.Background(), r, spec, p)
		if err != nil || r.runs != tc.runs || res.Tries != tc.runs || res.Stats.Disturbed != tc.stillDisturbed {
			t.Errorf("%d disturbed, %d tries: %d runs, tries %d, disturbed %v, err %v; want %d runs, disturbed %v",
				tc.disturbed, tc.tries, r.runs, res.Tries, res.Stats.Disturbed, err, tc.runs, tc.stillDisturbed)
		}
		if len(notes) != tc.runs-1 {
			t.Errorf("%d disturbed, %d tries: notes before tries %v, want one before each run again", tc.disturbed, tc.tries, notes)
		}
	}
}

func TestRunStopsOnAnErrorAndOnCancelDuringThePause(t *testing.T) {
	spec := experiment.Spec{Model: experiment.Serial, Workers: 1}
	boom := errors.New("boom")
	if _, err := Run(context.Background(), &noisy{err: boom}, spec, Default); !errors.Is(err, boom) {
		t.Errorf("err %v, want the run's", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := Policy{Tries: 3, Pause: time.Hour}.WithNote(func(int, timeline.Stats) { cancel() })
	start := time.Now()
	if _, err := Run(ctx, &noisy{disturbed: 3}, spec, p); !errors.Is(err, context.Canceled) || time.Since(start) > time.Minute {
		t.Errorf("err %v after %v, want cancelled at once", err, time.Since(start))
	}
}
