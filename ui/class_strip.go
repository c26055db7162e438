package ui

import (
	"fmt"
	"strings"

	"github.com/coreography/coreography/ui/common"
)

// This file draws the teacher's class strip: how to join, who is here, the answers so
// far as a bar per choice, and after the run how many predicted right.

// classStrip is the strip's lines for the step on screen.
func (p *lessonPlayer) classStrip() []string {
	if p.class == nil {
		return nil
	}
	s, w := p.c.Styles, p.width
	room := p.class.Room
	st := room.State()
	lines := []string{s.Accent.Render(common.TruncateLine(fmt.Sprintf("class: %s · code %s · %s",
		p.class.Join, p.class.Code, plural(st.Students, "student")), w))}
	step := p.step()
	if step == nil || step.Predict == nil || st.Phase == ClassReading {
		return lines
	}
	tally := st.Tally
	if st.Phase == ClassVoting {
		tally = room.Tally() // the teacher sees the answers as they come
	}
	var bars []string
	for i := range step.Predict.Choices[:min(len(step.Predict.Choices), 9)] {
		n := 0
		if i < len(tally) {
			n = tally[i]
		}
		bars = append(bars, fmt.Sprintf("%d %s", i+1, tallyBar(n, tally, 8)))
	}
	answered := sum(tally)
	var what string
	switch st.Phase {
	case ClassVoting:
		what = fmt.Sprintf("%d answered · %s: reveal the tally", answered, p.c.Keys.Player.Reveal.Help().Key)
	case ClassRevealed, ClassRunning:
		what = fmt.Sprintf("%d answered · revealed", answered)
	case ClassFinished:
		what = fmt.Sprintf("%d answered · %d predicted right", answered, st.Right)
		if st.Supported < 0 {
			what = fmt.Sprintf("%d answered · not judged, so 0 predicted right", answered)
		}
	}
	lines = append(lines, s.Accent.Render(common.TruncateLine(what+" · "+strings.Join(bars, "  "), w)))
	return lines
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
