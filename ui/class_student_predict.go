package ui

import (
	"fmt"
	"strings"

	"github.com/coreography/coreography/lessons"
	"github.com/coreography/coreography/ui/common"
)

// This file draws a student's prediction: the choices with their own marked while the
// vote is open, the room's tally once revealed, and their own verdict after the run.

func (m *classStudent) predictView() string {
	st := m.state.StepData()
	if st == nil || st.Predict == nil || m.state.Phase == ClassReading {
		return ""
	}
	s := m.c.Styles
	pr := st.Predict
	var lines []string
	for _, l := range common.WrapText("? "+pr.Question, m.width, "  ") {
		lines = append(lines, s.Header.Render(l))
	}
	tally := m.state.Tally
	for i, c := range pr.Choices[:min(len(pr.Choices), 9)] {
		label, style := fmt.Sprintf("%d) %s", i+1, c.Text), s.Text
		if i == m.mine {
			label, style = fmt.Sprintf("[%d] %s", i+1, c.Text), s.Selected
		}
		if tally != nil && i < len(tally) {
			label += "  " + tallyBar(tally[i], tally, 20)
		}
		lines = append(lines, "  "+style.Render(common.TruncateLine(label, m.width-2)))
	}
	switch m.state.Phase {
	case ClassVoting:
		what := "press 1-" + fmt.Sprint(min(len(pr.Choices), 9)) + " to answer"
		if m.mine >= 0 {
			what = "you can change your answer until the teacher closes the vote"
		}
		lines = append(lines, s.Subtle.Render(common.TruncateLine(fmt.Sprintf("  %d of %d answered · %s", m.state.Answered, m.state.Students, what), m.width)))
	case ClassRevealed, ClassRunning:
		lines = append(lines, s.Subtle.Render(common.TruncateLine(fmt.Sprintf("  the room's tally: %d answered · the run comes next", sum(tally)), m.width)))
	case ClassFinished:
		lines = append(lines, m.verdict(pr)...)
	}
	return strings.Join(lines, "\n")
}

// verdict is the student's own: what they said and what the run supported.
func (m *classStudent) verdict(pr *lessons.Predict) []string {
	s := m.c.Styles
	said := "you did not answer"
	if m.mine >= 0 && m.mine < len(pr.Choices) {
		said = fmt.Sprintf("you said %q", pr.Choices[m.mine].Text)
	}
	text, style := said+"; this run was not judged (disturbed, or it failed)", s.Subtle
	if sup := m.state.Supported; sup >= 0 && sup < len(pr.Choices) {
		switch {
		case sup == m.mine:
			text, style = common.GlyphRight+" right: "+said, s.Good
		default:
			text, style = fmt.Sprintf("%s %s; the run showed %q", common.GlyphWrong, said, pr.Choices[sup].Text), s.Bad
		}
	}
	var lines []string
	for _, l := range common.WrapText(text, m.width-2, "  ") {
		lines = append(lines, style.Render("  "+l))
	}
	lines = append(lines, s.Subtle.Render(common.TruncateLine(fmt.Sprintf("  the tally: %d answered, %d predicted what the run showed", sum(m.state.Tally), m.state.Right), m.width)))
	if m.state.Values != nil {
		for _, l := range common.WrapText("measured: "+verdictFigures(pr, m.state.Values), m.width-2, "  ") {
			lines = append(lines, s.Subtle.Render("  "+l))
		}
	}
	return lines
}

// tallyBar is n as a bar scaled to the largest count, and the count.
func tallyBar(n int, all []int, width int) string {
	most := 0
	for _, v := range all {
		most = max(most, v)
	}
	cells := 0
	if most > 0 {
		cells = (n*width + most - 1) / most
	}
	return strings.Repeat(string(common.GlyphFull), cells) + fmt.Sprintf(" %d", n)
}

func sum(xs []int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}
