package ui

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
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

// noPause makes play retry a disturbed run at once, for the length of a test.
func noPause(t *testing.T) {
	was := disturbedPause
	disturbedPause = 0
	t.Cleanup(func() { disturbedPause = was })
}

func TestPlayRunsADisturbedRunAgainThenJudges(t *testing.T) {
	noPause(t)
	l := parseLesson(t, playLesson)
	run := &disturbingRunner{inner: &scriptedRunner{speedup: map[experiment.Model]float64{experiment.GIL: 1, experiment.Threads: 2}}, disturbed: 2}
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
	if run.calls != 4 { // run 1 three times, run 2 once
		t.Errorf("runner called %d times, want 4", run.calls)
	}
}

// A run that stays disturbed is never judged, even when it measured the wrong answer.
func TestPlayGivesUpOnARunThatStaysDisturbed(t *testing.T) {
	noPause(t)
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

// The TUI player never judges a disturbed run: it says by how much and offers r,
// and judges the next run that is not disturbed.
func TestPlayerRefusesToJudgeADisturbedRun(t *testing.T) {
	run := &disturbingRunner{inner: &fakeRunner{}, disturbed: 1}
	app := NewApp(AppOptions{Runner: run, Lesson: parseLesson(t, run1Lesson)})
	tm := teatest.NewTestModel(t, framed{app}, teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	shows := func(text string) func(string) bool {
		return func(f string) bool { return strings.Contains(screenText(f), text) }
	}
	tm.Send(keyPress("2"))
	tm.Send(keyPress("r"))
	frame := strings.ReplaceAll(screenText(waitFrame(t, tm, "the disturbed note", shows("Press r to run it again"))), noBreakSpace, " ")
	if !strings.Contains(frame, "Run 1 was disturbed: other programs took 720 ms of CPU, 60% of 2 cores × 600 ms") {
		t.Errorf("the note does not say by how much:\n%s", frame)
	}
	if strings.Contains(frame, "✗") || strings.Contains(frame, "✓") || strings.Contains(frame, "measured:") {
		t.Errorf("a disturbed run was judged:\n%s", frame)
	}
	tm.Send(keyPress("r"))
	frame = screenText(waitFrame(t, tm, "the verdict of the second run", shows("measured:")))
	if !strings.Contains(frame, "✓ right") || strings.Contains(frame, "disturbed") {
		t.Errorf("the undisturbed run should be judged, without the old note:\n%s", frame)
	}
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

func TestRenderRunSaysWhenOthersDisturbedIt(t *testing.T) {
	spec := experiment.Spec{Model: experiment.Threads, Workers: 2, Tasks: experiment.Tasks{Groups: []experiment.Group{{Count: 2, Task: experiment.Task{Steps: []experiment.Step{{Kind: experiment.CPU, D: 100 * time.Millisecond}}}}}}}
	run := &disturbingRunner{inner: &fakeRunner{}, disturbed: 1}
	for _, want := range []bool{true, false} {
		rec := timeline.NewRecorder(spec.Meta())
		if err := run.Run(context.Background(), spec, rec); err != nil {
			t.Fatal(err)
		}
		out := RenderRun(rec.Snapshot(), 100)
		if got := strings.Contains(out, "disturbed: other programs took 720 ms of CPU, 60% of 2 cores × 600 ms"); got != want {
			t.Errorf("disturbed note shown %v, want %v:\n%s", got, want, out)
		}
	}
}

// The lab keeps a disturbed run, marked as such, so a comparison with it is not
// taken at face value.
func TestLabMarksADisturbedRun(t *testing.T) {
	c := testCommon(&disturbingRunner{inner: &fakeRunner{}, disturbed: 1})
	lab := NewLab(c, experiment.Spec{Model: experiment.GIL, Workers: 2, Tasks: mustTasks(t, "8*cpu(100ms)")})
	tm := teatest.NewTestModel(t, &harness{c: c, s: lab}, teatest.WithInitialTermSize(120, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	shows := func(text string) func([]byte) bool {
		return func(b []byte) bool { return bytes.Contains(b, []byte(text)) }
	}
	tm.Type("r")
	teatest.WaitFor(t, tm.Output(), shows("recent runs"), teatest.WithDuration(5*time.Second))
	tm.Type("r")
	teatest.WaitFor(t, tm.Output(), shows("compares the last two"), teatest.WithDuration(5*time.Second))
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	if view := screenText(lab.View()); strings.Count(view, "disturbed (others took 60%)") != 1 {
		t.Errorf("want the first of two runs marked disturbed:\n%s", view)
	}
}

// Cancelling while play waits to retry stops at once, without another run.
func TestPlayStopsWaitingToRetryWhenCancelled(t *testing.T) {
	l := parseLesson(t, playLesson)
	run := &disturbingRunner{inner: &scriptedRunner{speedup: map[experiment.Model]float64{experiment.GIL: 1, experiment.Threads: 2}}, disturbed: 1000}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	err := Play(ctx, &bytes.Buffer{}, l, run, PlayOptions{})
	if !errors.Is(err, context.Canceled) || run.calls != 1 {
		t.Fatalf("error %v after %d runs, want context.Canceled after 1", err, run.calls)
	}
	if waited := time.Since(start); waited >= disturbedPause {
		t.Errorf("waited %v, the whole pause, after being cancelled", waited)
	}
}

// TestDisturbedNoteNamesTheRuns: a step of one run is "the run", not "run 1"; where
// several runs were disturbed the note names every one, not just the first.
func TestDisturbedNoteNamesTheRuns(t *testing.T) {
	quiet := timeline.Stats{}
	busy := timeline.Stats{}
	busy.Disturbed = true
	busy.Others = &timeline.Others{CPU: 720 * time.Millisecond, Cores: 2, Span: 600 * time.Millisecond}
	for _, c := range []struct {
		stats []timeline.Stats
		want  string
	}{
		{[]timeline.Stats{quiet}, ""},
		{[]timeline.Stats{busy}, "The run was disturbed: other programs took 720 ms of CPU, 60% of 2 cores × 600 ms, so it is not judged. Press r to run it again."},
		{[]timeline.Stats{quiet, busy}, "Run 2 was disturbed: other programs took 720 ms"},
		{[]timeline.Stats{busy, quiet, busy}, "Runs 1 and 3 were disturbed (run 1: other programs took 720 ms of CPU, 60% of 2 cores × 600 ms), so they are not judged. Press r to run them again."},
	} {
		got := strings.ReplaceAll(disturbedNote(c.stats, "r"), noBreakSpace, " ")
		if c.want == "" && got != "" || !strings.HasPrefix(got, c.want) {
			t.Errorf("got  %q\nwant %q…", got, c.want)
		}
	}
}

// TestDisturbedNoteKeepsFiguresWhole: wrapped to a narrow screen, the note never
// breaks a figure from its unit ("82.8" at a line's end, "ms" on the next).
func TestDisturbedNoteKeepsFiguresWhole(t *testing.T) {
	busy := timeline.Stats{}
	busy.Disturbed = true
	busy.Others = &timeline.Others{CPU: 70 * time.Millisecond, Cores: 2, Span: 82800 * time.Microsecond}
	for w := 30; w <= 100; w++ {
		for _, l := range wrapText(disturbedNote([]timeline.Stats{busy}, "r"), w, "") {
			if f := strings.Fields(l); len(f) > 0 && (f[0] == "ms," || f[0] == "ms") {
				t.Fatalf("at %d columns a line starts with its unit: %q", w, l)
			}
		}
	}
}

// TestDisturbedRunStillReplaysSlowly: a step that asks for a slow replay replays a
// disturbed run too (FORMAT: "as soon as they end"): not judged, still worth
// watching, and r still runs it again from inside the replay.
func TestDisturbedRunStillReplaysSlowly(t *testing.T) {
	run := &disturbingRunner{inner: &fakeRunner{}, disturbed: 1}
	c := testCommon(run)
	p := newLessonPlayer(c, parseLesson(t, slowLesson), 0, nil)
	tm := teatest.NewTestModel(t, &harness{c: c, s: p}, teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	tm.Type("2r")
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("replay 0.01×")) && bytes.Contains(b, []byte("disturbed"))
	}, teatest.WithDuration(5*time.Second))
	tm.Type("r")
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("measured:")) },
		teatest.WithDuration(5*time.Second))
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}
