package ui

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
	"github.com/coreography/coreography/ui/internal/uitest"
	uitimeline "github.com/coreography/coreography/ui/timeline"
)

// The TUI player never judges a disturbed run: it says by how much and offers r,
// and judges the next run that is not disturbed.
func TestPlayerRefusesToJudgeADisturbedRun(t *testing.T) {
	run := &uitest.Disturbing{Inner: &uitest.Runner{}, Disturbed: 1}
	app := NewApp(AppOptions{Runner: run, Lesson: uitest.Lesson(t, run1Lesson)})
	tm := teatest.NewTestModel(t, framed{app}, teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	shows := func(text string) func(string) bool {
		return func(f string) bool { return strings.Contains(screenText(f), text) }
	}
	tm.Send(uitest.Key("2"))
	tm.Send(uitest.Key("r"))
	frame := strings.ReplaceAll(screenText(waitFrame(t, tm, "the disturbed note", shows("Press r to run it again"))), uitimeline.NoBreakSpace, " ")
	if !strings.Contains(frame, "Run 1 was disturbed: other programs took 720 ms of CPU, 60% of 2 cores × 600 ms") {
		t.Errorf("the note does not say by how much:\n%s", frame)
	}
	if strings.Contains(frame, "✗") || strings.Contains(frame, "✓") || strings.Contains(frame, "measured:") {
		t.Errorf("a disturbed run was judged:\n%s", frame)
	}
	tm.Send(uitest.Key("r"))
	frame = screenText(waitFrame(t, tm, "the verdict of the second run", shows("measured:")))
	if !strings.Contains(frame, "✓ right") || strings.Contains(frame, "disturbed") {
		t.Errorf("the undisturbed run should be judged, without the old note:\n%s", frame)
	}
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

// The lab keeps a disturbed run, marked as such, so a comparison with it is not
// taken at face value.
func TestLabMarksADisturbedRun(t *testing.T) {
	c := uitest.Common(&uitest.Disturbing{Inner: &uitest.Runner{}, Disturbed: 1})
	lab := NewLab(c, experiment.Spec{Model: experiment.GIL, Workers: 2, Tasks: uitest.Tasks(t, "8*cpu(100ms)")})
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
		got := strings.ReplaceAll(disturbedNote(c.stats, "r"), uitimeline.NoBreakSpace, " ")
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
		for _, l := range common.WrapText(disturbedNote([]timeline.Stats{busy}, "r"), w, "") {
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
	run := &uitest.Disturbing{Inner: &uitest.Runner{}, Disturbed: 1}
	c := uitest.Common(run)
	p := newLessonPlayer(c, uitest.Lesson(t, slowLesson), 0, nil)
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

// A learner is never stuck on a busy machine: after a run that stays disturbed, d
// judges it anyway (the verdict marked with what others took), and e judges the
// lesson's reference run instead, labelled with where and when it was recorded.
func TestDisturbedRunCanBeJudgedAnywayOrOnTheReferenceRun(t *testing.T) {
	for _, tc := range []struct {
		key, want string
	}{
		{"d", "on a disturbed run: others took 60%"},
		{"e", "on the lesson's reference run, recorded on a 2-vCPU VM"},
	} {
		run := &uitest.Disturbing{Inner: &uitest.Runner{}, Disturbed: 1000}
		c := uitest.Common(run)
		l := uitest.Lesson(t, slowLesson)
		c.References = func(id string, step, ri int) (*timeline.Trace, string, error) {
			spec := l.Steps[step-1].Experiment.Runs[ri-1]
			rec := timeline.NewRecorder(spec.Meta())
			if err := (&uitest.Runner{}).Run(context.Background(), spec, rec); err != nil {
				return nil, "", err
			}
			return rec.Snapshot(), "recorded on a 2-vCPU VM, 2026-12-07 (load 0.2)", nil
		}
		p := newLessonPlayer(c, l, 0, nil)
		tm := teatest.NewTestModel(t, &harness{c: c, s: p}, teatest.WithInitialTermSize(100, 30),
			teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
		tm.Type("2r")
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			return bytes.Contains(b, []byte("to judge it anyway"))
		}, teatest.WithDuration(5*time.Second))
		tm.Type(tc.key)
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			flat := strings.Join(strings.Fields(string(b)), " ")
			return strings.Contains(flat, "measured:") && strings.Contains(flat, tc.want)
		}, teatest.WithDuration(5*time.Second))
		tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
		tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	}
}
