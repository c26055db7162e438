package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"

	"github.com/coreography/coreography/lessons"
	"github.com/coreography/coreography/ui/markdown"
)

// This file shows a step's hints in the player: where the lesson says what to look
// at. They show by themselves after a wrong prediction, and on the hint key at any
// time (which also hides them again).

// hintsShown reports whether the current step's hints are on screen: the learner
// asked for them, or the run just judged their prediction wrong.
func (p *lessonPlayer) hintsShown() bool {
	st := p.step()
	if st == nil || len(st.Hints) == 0 {
		return false
	}
	mem := p.memory[p.state.Step]
	if mem.hint != hintAuto {
		return mem.hint == hintOn
	}
	return p.wrongPrediction()
}

// wrongPrediction reports whether the step's prediction was judged and missed.
func (p *lessonPlayer) wrongPrediction() bool {
	st := p.step()
	mem := p.memory[p.state.Step]
	if st == nil || st.Predict == nil || !mem.judged || mem.values == nil || mem.chosen < 0 {
		return false
	}
	truth, _ := st.Predict.Truth(mem.values)
	return truth >= 0 && truth != mem.chosen
}

// toggleHints shows or hides the step's hints, whatever showed them.
func (p *lessonPlayer) toggleHints() {
	mem := &p.memory[p.state.Step]
	if p.hintsShown() {
		mem.hint = hintOff
	} else {
		mem.hint = hintOn
	}
	p.layout()
}

// hintLines are the step's hints, filled with what the run measured: Markdown, like
// the step's text ("The *results* lane" reads with its emphasis, not its stars).
func (p *lessonPlayer) hintLines() []string {
	if !p.hintsShown() {
		return nil
	}
	st, mem := p.step(), p.memory[p.state.Step]
	var lines []string
	for _, h := range st.Hints {
		hint := p.md.Render("**Hint:** "+lessons.Fill(h, mem.values), p.width, markdown.ScreenLook(p.c.Styles))
		lines = append(lines, strings.Split(hint, "\n")...)
	}
	return lines
}

// hintKey is the hint key when the step has hints; ok is false when it has none.
func (p *lessonPlayer) hintKey() (key.Binding, bool) {
	st := p.step()
	return p.c.Keys.Player.Hint, st != nil && len(st.Hints) > 0
}

// hintState is whether the learner asked to see a step's hints.
type hintState int

const (
	hintAuto hintState = iota // shown after a wrong prediction
	hintOn                    // the learner asked to see them
	hintOff                   // the learner hid them
)
