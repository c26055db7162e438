package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/coreography/coreography/lessons"
	"github.com/coreography/coreography/ui/common"
	"github.com/coreography/coreography/ui/internal/uitest"
)

const longQuestionLesson = "---\nid: long-question\ntitle: Long question\nminutes: 1\nsummary: A question too long for one line.\n---\n# Step\n\nText.\n\n" +
	"```experiment\nmodel: threads\nworkers: 2\ntasks: 2*cpu(1ms)\n```\n\n" +
	"```predict\nquestion: Two threads on one core — will they finish the two jobs sooner than one thread doing both, one after the other?\n" +
	"choices: [about the same time, clearly sooner]\nanswer: about the same time\n```\n"

// screenText is a view without styles, its lines joined by spaces with runs of
// blanks squeezed: what a reader sees, whatever the wrapping.
func screenText(view string) string {
	return strings.Join(strings.Fields(ansi.Strip(view)), " ")
}

// A question longer than the screen is wrapped, not cut: the learner must read all of
// it to answer.
func TestPlayerWrapsTheQuestion(t *testing.T) {
	l := uitest.Lesson(t, longQuestionLesson)
	for _, w := range []int{80, 60, 40} {
		p := newLessonPlayer(uitest.Common(&uitest.Runner{}), l, 0, nil)
		p.SetSize(w, 24)
		view := p.View()
		if want := "? " + l.Steps[0].Predict.Question; !strings.Contains(screenText(view), want) {
			t.Errorf("at %d columns the question is not all there:\n%s", w, ansi.Strip(view))
		}
		for i, line := range strings.Split(view, "\n") {
			if n := ansi.StringWidth(line); n > w {
				t.Errorf("at %d columns line %d is %d wide: %q", w, i+1, n, ansi.Strip(line))
			}
		}
		if n := common.LineCount(view); n > 24 {
			t.Errorf("at %d columns the player drew %d lines in 24", w, n)
		}
	}
}

// revealLesson's step has more text before its experiment than fits, and a result
// paragraph after it that only a run reveals.
var revealLesson = "---\nid: reveal\ntitle: Reveal\nminutes: 1\nsummary: Text a run reveals.\n---\n# Step\n\n" +
	strings.Repeat("Before the run, a line of text that the learner reads first.\n\n", 12) +
	"```experiment\nmodel: gil\nworkers: 2\ntasks: 4*cpu(20ms)\n```\n\n" +
	"```predict\nquestion: Faster?\nchoices: [yes, no]\nanswer: no\n```\n\n" +
	"REVEALED: the speedup was {{speedup}}.\n"

// After a run, the text it revealed is in view, and the header says when text goes
// on below the fold.
func TestPlayerShowsWhatTheRunRevealed(t *testing.T) {
	l := uitest.Lesson(t, revealLesson)
	app := NewApp(AppOptions{Runner: &uitest.Runner{}, Lesson: l})
	before := drive(t, app, 80, 24, "Faster?")
	if !strings.Contains(ansi.Strip(before), "↓ more text · step 1/1") {
		t.Errorf("the text does not fit, yet the header does not say so:\n%s", ansi.Strip(before))
	}
	app = NewApp(AppOptions{Runner: &uitest.Runner{}, Lesson: l})
	after := drive(t, app, 80, 24, "measured:", "2", "r")
	checkFrame(t, after, 80, 24)
	if !strings.Contains(ansi.Strip(after), "REVEALED: the speedup was") {
		t.Errorf("after the run the revealed text is not in view:\n%s", ansi.Strip(after))
	}
}

// The verdict's figures keep their precision: a 71 µs IPC cost is not "0 ms".
func TestMeasuredLineUnits(t *testing.T) {
	got := verdictFigures(&lessons.Predict{}, map[string]float64{"speedup": 1.69, "wall_s": 0.354, "parallelism": 1.88, "ipc_bytes": 1049, "ipc_s": 71.1e-6})
	for _, want := range []string{"wall 354 ms", "IPC 71.1 µs", "speedup 1.69×"} {
		if !strings.Contains(got, want) {
			t.Errorf("verdictFigures = %q, want it to say %q", got, want)
		}
	}
}

// run1Lesson judges its prediction on the first of two runs.
const run1Lesson = "---\nid: run1\ntitle: Run one\nminutes: 1\nsummary: Judged on run 1.\n---\n# Step\n\n" +
	"```experiment\nname: first\nmodel: serial\ntasks: 4*cpu(20ms)\ncompare:\n  - name: second\n    model: threads\n    workers: 2\n```\n\n" +
	"```predict\nquestion: How long will the first run take?\nchoices:\n  - text: short\n    when: run1.wall < 1ms\n  - text: long\n    when: run1.wall >= 1ms\nanswer: long\n```\n"

// The verdict quotes the figures it was judged on, here run 1's wall time, not the
// last run's figures, which said nothing about the answer.
func TestPlayerVerdictQuotesWhatItJudged(t *testing.T) {
	app := NewApp(AppOptions{Runner: &uitest.Runner{}, Lesson: uitest.Lesson(t, run1Lesson)})
	frame := ansi.Strip(drive(t, app, 80, 24, "measured:", "2", "r"))
	if !strings.Contains(frame, "measured: wall 80 ms (run 1)") {
		t.Errorf("the verdict does not quote run 1's wall time:\n%s", frame)
	}
}

// twoStepLesson runs something on its first step and nothing on its second.
const twoStepLesson = "---\nid: back\ntitle: Back again\nminutes: 1\nsummary: Runs, then moves on.\n---\n# Run\n\n" +
	"```experiment\nmodel: gil\nworkers: 2\ntasks: 4*cpu(20ms)\n```\n\n---\n# Next\n\nNothing to run here.\n"

// Coming back to a step that ran shows that run again, not an empty panel: the
// learner's run is progress, and progress is never lost.
func TestPlayerKeepsAStepsRunWhenComingBack(t *testing.T) {
	app := NewApp(AppOptions{Runner: &uitest.Runner{}, Lesson: uitest.Lesson(t, twoStepLesson)})
	tm := teatest.NewTestModel(t, framed{app}, teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	shows := func(text string) func(string) bool {
		return func(f string) bool { return strings.Contains(ansi.Strip(f), text) }
	}
	tm.Send(uitest.Key("r"))
	waitFrame(t, tm, "the finished run", shows("done in"))
	tm.Send(uitest.Key("n"))
	waitFrame(t, tm, "step 2", shows("step 2/2"))
	tm.Send(uitest.Key("p"))
	back := ansi.Strip(waitFrame(t, tm, "step 1 again", shows("step 1/2")))
	if !strings.Contains(back, "speedup") || strings.Contains(back, "nothing recorded yet") {
		t.Errorf("back on step 1 the run is gone:\n%s", back)
	}
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

// TestChoicesKeepTheirLines: choices that just fit on one line before a choice are
// laid out so that bracketing the chosen one does not throw them onto three lines.
func TestChoicesKeepTheirLines(t *testing.T) {
	src := "---\nid: fit\ntitle: Fit\nminutes: 1\nsummary: Choices that just fit.\n---\n# Step\n\n" +
		"```predict\nquestion: Which?\nchoices: [slower than one thread, about the same, faster — two cores]\nanswer: about the same\n```\n"
	l := uitest.Lesson(t, src)
	line := "  1) slower than one thread   2) about the same   3) faster — two cores"
	for _, w := range []int{ansi.StringWidth(line), ansi.StringWidth(line) + 1, ansi.StringWidth(line) + 2} {
		p := newLessonPlayer(uitest.Common(&uitest.Runner{}), l, 0, nil)
		p.SetSize(w, 24)
		before := common.LineCount(p.predictView())
		p.Update(tea.KeyPressMsg{Code: '2', Text: "2"})
		if after := common.LineCount(p.predictView()); after != before {
			t.Errorf("at %d columns the choices took %d lines before the choice and %d after", w, before, after)
		}
	}
}
