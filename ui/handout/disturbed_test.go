package handout

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// noPause makes play retry a disturbed run at once, for the length of a test.
func noPause(t *testing.T) {
	was := policy
	policy.Pause = 0
	t.Cleanup(func() { policy = was })
}

func TestPlayRunsADisturbedRunAgainThenJudges(t *testing.T) {
	noPause(t)
	l := uitest.Lesson(t, playLesson)
	run := &uitest.Disturbing{Inner: &scriptedRunner{speedup: map[experiment.Model]float64{experiment.GIL: 1, experiment.Threads: 2}}, Disturbed: 2}
	var out bytes.Buffer
	if err := Play(context.Background(), &out, l, run, PlayOptions{Width: 100}); err != nil {
		t.Fatalf("Play: %v\n%s", err, out.String())
	}
	text := out.String()
	if got := strings.Count(text, "Disturbed: other programs took 720 ms of CPU, 60% of 2 cores × 600 ms"); got != 2 {
		t.Errorf("%d notes of a disturbed run, want 2:\n%s", got, text)
	}
	if !strings.Contains(text, "try 3 of 3)") || !strings.Contains(text, "✓ the run agrees") {
		t.Errorf("the third try should run and be judged:\n%s", text)
	}
	if run.Calls != 4 { // run 1 three times, run 2 once
		t.Errorf("runner called %d times, want 4", run.Calls)
	}
}

// A run that stays disturbed is never judged, even when it measured the wrong answer.
func TestPlayGivesUpOnARunThatStaysDisturbed(t *testing.T) {
	noPause(t)
	l := uitest.Lesson(t, playLesson)
	wrong := &scriptedRunner{speedup: map[experiment.Model]float64{experiment.GIL: 1, experiment.Threads: 1.1}}
	run := &uitest.Disturbing{Inner: wrong, Disturbed: 1000}
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
	if run.Calls != 3 {
		t.Errorf("runner called %d times, want 3", run.Calls)
	}
}

func TestPlayDoesNotRetryAnUnknownDisturbance(t *testing.T) {
	l := uitest.Lesson(t, playLesson)
	run := &scriptedRunner{speedup: map[experiment.Model]float64{experiment.GIL: 1, experiment.Threads: 2}}
	var out bytes.Buffer
	if err := Play(context.Background(), &out, l, run, PlayOptions{Width: 100}); err != nil {
		t.Fatal(err)
	}
	if run.runs != 2 || strings.Contains(out.String(), "Disturbed") {
		t.Errorf("runs %d; a run that cannot tell is not retried:\n%s", run.runs, out.String())
	}
}

// Cancelling while play waits to retry stops at once, without another run.
func TestPlayStopsWaitingToRetryWhenCancelled(t *testing.T) {
	l := uitest.Lesson(t, playLesson)
	run := &uitest.Disturbing{Inner: &scriptedRunner{speedup: map[experiment.Model]float64{experiment.GIL: 1, experiment.Threads: 2}}, Disturbed: 1000}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	err := Play(ctx, &bytes.Buffer{}, l, run, PlayOptions{})
	if !errors.Is(err, context.Canceled) || run.Calls != 1 {
		t.Fatalf("error %v after %d runs, want context.Canceled after 1", err, run.Calls)
	}
	if waited := time.Since(start); waited >= policy.Pause {
		t.Errorf("waited %v, the whole pause, after being cancelled", waited)
	}
}

// A learner is never stuck: a run that stays disturbed can be judged anyway, its
// verdict marked with what others took, or the lesson's reference run judged instead,
// labelled with where and when it was recorded.
func TestPlayJudgesAStillDisturbedRunAnywayWhenAsked(t *testing.T) {
	noPause(t)
	l := uitest.Lesson(t, playLesson)
	run := &uitest.Disturbing{Inner: &scriptedRunner{speedup: map[experiment.Model]float64{experiment.GIL: 1, experiment.Threads: 2}}, Disturbed: 1000}
	var out bytes.Buffer
	if err := Play(context.Background(), &out, l, run, PlayOptions{Width: 100, WhenDisturbed: JudgeAnyway}); err != nil {
		t.Fatalf("Play: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "✓ the run agrees (run 1 on a disturbed run: others took 60%; run 2 on a disturbed run: others took 60%)") {
		t.Errorf("the verdict should be marked as standing on disturbed runs:\n%s", out.String())
	}
}

func TestPlayJudgesTheReferenceRunWhenAsked(t *testing.T) {
	noPause(t)
	l := uitest.Lesson(t, playLesson)
	inner := &scriptedRunner{speedup: map[experiment.Model]float64{experiment.GIL: 1, experiment.Threads: 2}}
	refs := func(step, run int) (*timeline.Trace, string, error) {
		spec := l.Steps[step-1].Experiment.Runs[run-1]
		rec := timeline.NewRecorder(spec.Meta())
		if err := inner.Run(context.Background(), spec, rec); err != nil {
			return nil, "", err
		}
		return rec.Snapshot(), "recorded on a 2-vCPU VM, 2026-12-07 (load 0.2)", nil
	}
	run := &uitest.Disturbing{Inner: inner, Disturbed: 1000}
	var out bytes.Buffer
	if err := Play(context.Background(), &out, l, run, PlayOptions{Width: 200, WhenDisturbed: Reference, References: refs}); err != nil {
		t.Fatalf("Play: %v\n%s", err, out.String())
	}
	text := out.String()
	if !strings.Contains(text, "here is the lesson's reference run, recorded on a 2-vCPU VM, 2026-12-07 (load 0.2)") ||
		!strings.Contains(text, "✓ the run agrees (run 1 on the lesson's reference run, recorded on a 2-vCPU VM") {
		t.Errorf("the reference run should stand in, labelled, and the verdict say so:\n%s", text)
	}
	// Without reference runs the lesson cannot do that, and says so.
	err := Play(context.Background(), &bytes.Buffer{}, l, &uitest.Disturbing{Inner: inner, Disturbed: 1000}, PlayOptions{WhenDisturbed: Reference})
	var d *DisturbedError
	if !errors.As(err, &d) || !strings.Contains(err.Error(), "no reference runs") {
		t.Errorf("err %v, want a DisturbedError saying there are no reference runs", err)
	}
}
