package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
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
	l := parseLesson(t, longQuestionLesson)
	for _, w := range []int{80, 60, 40} {
		p := newLessonPlayer(testCommon(&fakeRunner{}), l, 0, nil)
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
		if n := lineCount(view); n > 24 {
			t.Errorf("at %d columns the player drew %d lines in 24", w, n)
		}
	}
}
