package ui

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/lessons"
	"github.com/coreography/coreography/ui/common"
	"github.com/coreography/coreography/ui/markdown"
	"github.com/coreography/coreography/ui/panel"
	uitimeline "github.com/coreography/coreography/ui/timeline"
)

// This file draws a step's prediction: the question and its choices before the run,
// the verdict and the figures it was judged on after it.

// predictView is the question with numbered choices before the run, and after it the
// learner's guess, what was measured and whether the guess held; then any notice.
func (p *lessonPlayer) predictView() string {
	st := p.step()
	if st == nil {
		return ""
	}
	s := p.c.Styles
	w := p.width
	var lines []string
	if pr := st.Predict; pr != nil && len(pr.Choices) > 0 {
		mem := p.memory[p.state.Step]
		// The question is the step's point: wrapped, never cut.
		for _, l := range common.WrapText("? "+pr.Question, w, "  ") {
			lines = append(lines, s.Header.Render(l))
		}
		if mem.judged && mem.values != nil {
			lines = append(lines, p.verdict(pr, mem)...)
		} else {
			lines = append(lines, p.choiceLines(pr, mem.chosen)...)
		}
	}
	lines = append(lines, p.explanationLines()...)
	lines = append(lines, p.scoreLines()...)
	lines = append(lines, p.hintLines()...)
	lines = append(lines, p.noteLines()...)
	if p.notice != "" {
		style := s.Subtle
		if p.bad {
			style = s.Error
		}
		for _, l := range common.WrapText(p.notice, w, "") {
			lines = append(lines, style.Render(l))
		}
	}
	return strings.Join(lines, "\n")
}

// scoreLines say, on a lesson's last step, how many of its predictions the runs
// proved right: the score a quiz such as choosing ends with.
func (p *lessonPlayer) scoreLines() []string {
	if p.prog == nil || p.state.Step != len(p.lesson.Steps)-1 {
		return nil
	}
	right, judged := p.prog.Score(p.lesson)
	if judged == 0 {
		return nil
	}
	return []string{p.c.Styles.Header.Render(fmt.Sprintf("Your score: %d of %d predictions right", right, judged))}
}

// explainUnderQuestion reports whether the screen is tall enough to give the
// explanation lines of its own under the question: below 30 rows they would take the
// run's close-up away, and the explanation closes the step's text instead.
func (p *lessonPlayer) explainUnderQuestion() bool { return p.height >= 30 }

// explanationLines are the prediction's explanation once the run has answered it:
// under the question and its verdict, where it is read after them, and never cut.
func (p *lessonPlayer) explanationLines() []string {
	st := p.step()
	mem := p.memory[p.state.Step]
	if st.Predict == nil || st.Predict.Explanation == "" || !mem.ran || !p.explainUnderQuestion() {
		return nil
	}
	why := p.md.Render("**Why:** "+lessons.Fill(st.Predict.Explanation, mem.values), p.width, markdown.ScreenLook(p.c.Styles))
	return strings.Split(why, "\n")
}

// choiceLines numbers the choices, on one line when they fit.
func (p *lessonPlayer) choiceLines(pr *lessons.Predict, chosen int) []string {
	s := p.c.Styles
	plain := make([]string, 0, len(pr.Choices))
	styled := make([]string, 0, len(pr.Choices))
	for i, c := range pr.Choices[:min(len(pr.Choices), 9)] {
		label := fmt.Sprintf("%d) %s", i+1, c.Text)
		st := s.Text
		if i == chosen {
			label = fmt.Sprintf("[%d] %s", i+1, c.Text)
			st = s.Selected
		}
		plain = append(plain, label)
		styled = append(styled, st.Render(label))
	}
	// Measured as if a choice were bracketed, "[1]" a column wider than "1)": the
	// choices must not jump onto three lines when the learner picks one.
	if ansi.StringWidth(strings.Join(plain, "   "))+2+1 <= p.width || (chosen >= 0 && ansi.StringWidth(strings.Join(plain, "   "))+2 <= p.width) {
		return []string{"  " + strings.Join(styled, "   ")}
	}
	var out []string
	for i := range plain {
		st := s.Text
		if i == chosen {
			st = s.Selected
		}
		for _, l := range common.WrapText(plain[i], p.width-2, "   ") {
			out = append(out, "  "+st.Render(l))
		}
	}
	return out
}

// verdict says what the learner guessed, what was measured, and whether it held.
func (p *lessonPlayer) verdict(pr *lessons.Predict, mem stepMemory) []string {
	s := p.c.Styles
	truth, _ := pr.Truth(mem.values)
	guess := pr.Choices[mem.chosen].Text
	text, style := fmt.Sprintf("you said %q", guess), s.Subtle
	switch {
	case truth < 0:
	case truth == mem.chosen:
		text, style = fmt.Sprintf(common.GlyphRight+" right: %q", guess), s.Good
	default:
		text, style = fmt.Sprintf(common.GlyphWrong+" you said %q; it was %q", guess, pr.Choices[truth].Text), s.Bad
	}
	var lines []string
	for _, l := range common.WrapText(text, p.width-2, "  ") {
		lines = append(lines, style.Render("  "+l))
	}
	measured := "measured: " + verdictFigures(pr, mem.values)
	if mem.caveat != "" {
		measured += " (" + mem.caveat + ")"
	}
	for _, l := range common.WrapText(measured, p.width-2, "  ") {
		lines = append(lines, s.Subtle.Render("  "+l))
	}
	return lines
}

// verdictFigures are the measured values the prediction's choices were judged on,
// in words, so the verdict shows its reasons: in a comparison they may be run 1's, not
// the last run's. Without conditions, the figures a prediction is usually about.
func verdictFigures(pr *lessons.Predict, values map[string]float64) string {
	names := pr.Quotes()
	if len(names) == 0 {
		names = []string{"speedup", "wall_s", "parallelism"}
		if values["gil_switches"] > 0 {
			names = append(names, "gil_switches_per_s")
		}
		if values["ipc_bytes"] > 0 {
			names = append(names, "ipc_s")
		}
	}
	parts := make([]string, len(names))
	for i, name := range names {
		parts[i] = lessons.Say(values, name)
	}
	return strings.Join(parts, " · ")
}

// judge takes the finished run's stats, settles the prediction and saves it. It
// reports whether the run is there to watch: not failed or skipped (a disturbed run
// is, though it is not judged).
func (p *lessonPlayer) judge(mem *stepMemory, done panel.RunsDoneMsg) bool {
	stats, err := done.Stats, done.Err
	if len(stats) == 0 && err == nil {
		stats, err = p.panel.Results()
	}
	mem.runErr = err
	if errors.Is(err, experiment.ErrUnavailable) {
		p.state.Judged, mem.judged = false, false
		p.notice, p.bad = "Skipped on this machine: "+common.OneLine(err.Error()), false
		return false
	}
	if err != nil {
		p.state.Judged, mem.judged = false, false
		p.notice, p.bad = "The run failed: "+common.OneLine(err.Error()), true
		return false
	}
	if len(stats) == 0 {
		p.state.Judged = false
		return false
	}
	mem.refused, mem.caveat = nil, ""
	for _, s := range stats {
		if s.Clock != nil && s.Clock.Recalibrated {
			p.notice, p.bad = uitimeline.ClockNote(*s.Clock), false
		}
	}
	if p.refuseDisturbed(stats) {
		p.state.Judged, mem.refused = false, stats
		return true
	}
	p.settle(mem, stats)
	return true
}

// settle judges the prediction on stats, fills the text with them and saves it.
func (p *lessonPlayer) settle(mem *stepMemory, stats []timeline.Stats) {
	uitimeline.AgainstBaselines(p.step().Experiment.Runs, stats)
	mem.ran, mem.traces, mem.stats = true, p.panel.Traces(), stats
	// The last run's figures by their own names, and every run's as run1.wall_s, ….
	each := make([]map[string]float64, len(stats))
	for i, st := range stats {
		each[i] = st.Values()
	}
	mem.values = lessons.Measured(each)
	mem.judged = p.state.Judged
	st := p.step()
	if st.Predict != nil && mem.judged && p.prog != nil {
		truth, _ := st.Predict.Truth(mem.values)
		right := truth >= 0 && truth == mem.chosen
		p.prog.Predicted(p.lesson.ID, p.state.Step, st.Predict.Choices[mem.chosen].Text, right)
		p.save()
	}
	p.refreshText(false)
}
