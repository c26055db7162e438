package ui

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/coreography/coreography/experiment"
	"github.com/coreography/coreography/timeline"
)

// disturbingRunner runs inner, then records that other programs took 60 % of two
// cores for the first disturbed calls and 1 % after them.
type disturbingRunner struct {
	inner     experiment.Runner
	disturbed int
	calls     int
}

func (d *disturbingRunner) Run(ctx context.Context, spec experiment.Spec, rec *timeline.Recorder) error {
	if err := d.inner.Run(ctx, spec, rec); err != nil {
		return err
	}
	d.calls++
	o := timeline.Others{CPU: 12 * time.Millisecond, Cores: 2, Span: 600 * time.Millisecond, Slack: 20 * time.Millisecond}
	if d.calls <= d.disturbed {
		o.CPU = 720 * time.Millisecond
	}
	rec.SetOthers(o)
	return nil
}

func TestPlayRunsADisturbedRunAgainThenJudges(t *testing.T) {
	l := parseLesson(t, playLesson)
	run := &disturbingRunner{inner: &scriptedRunner{speedup: map[experiment.Model]float64{experiment.GIL: 1, experiment.Threads: 2}}, disturbed: 2}
	var out bytes.Buffer
	if err := Play(context.Background(), &out, l, run, PlayOptions{Width: 100}); err != nil {
		t.Fatalf("Play: %v\n%s", err, out.String())
	}
	text := out.String()
	if got := strings.Count(text, "Disturbed: other programs took 720ms of CPU, 60% of 2 cores × 600ms"); got != 2 {
		t.Errorf("%d notes of a disturbed run, want 2:\n%s", got, text)
	}
	if !strings.Contains(text, "(try 3 of 3)") || !strings.Contains(text, "✓ the run agrees") {
		t.Errorf("the third try should run and be judged:\n%s", text)
	}
	if run.calls != 4 { // run 1 three times, run 2 once
		t.Errorf("runner called %d times, want 4", run.calls)
	}
}

// A run that stays disturbed is never judged, even when it measured the wrong answer.
func TestPlayGivesUpOnARunThatStaysDisturbed(t *testing.T) {
	l := parseLesson(t, playLesson)
	wrong := &scriptedRunner{speedup: map[experiment.Model]float64{experiment.GIL: 1, experiment.Threads: 1.1}}
	run := &disturbingRunner{inner: wrong, disturbed: 1000}
	var out bytes.Buffer
	err := Play(context.Background(), &out, l, run, PlayOptions{Width: 100})
	var d *DisturbedError
	if !errors.As(err, &d) || d.Tries != 3 {
		t.Fatalf("error %v, want a DisturbedError after 3 tries", err)
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") || !strings.Contains(msg, "lesson play-test, step 1, run 1 (gil ×2") || !strings.Contains(msg, "60% of 2 cores") {
		t.Errorf("message should be one line naming the run and the disturbance: %q", msg)
	}
	if strings.Contains(out.String(), "✗") || strings.Contains(out.String(), "Answer:") {
		t.Errorf("a disturbed run was judged:\n%s", out.String())
	}
	if run.calls != 3 {
		t.Errorf("runner called %d times, want 3", run.calls)
	}
}

func TestPlayDoesNotRetryAnUnknownDisturbance(t *testing.T) {
	l := parseLesson(t, playLesson)
	run := &scriptedRunner{speedup: map[experiment.Model]float64{experiment.GIL: 1, experiment.Threads: 2}}
	var out bytes.Buffer
	if err := Play(context.Background(), &out, l, run, PlayOptions{Width: 100}); err != nil {
		t.Fatal(err)
	}
	if run.runs != 2 || strings.Contains(out.String(), "Disturbed") {
		t.Errorf("runs %d; a run that cannot tell is not retried:\n%s", run.runs, out.String())
	}
}
