package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/lessons"
	"github.com/coreography/coreography/ui/common"
)

// This file is what the lesson player does beyond a learner's: teaching a class (the
// steps and runs sent to the room, the vote revealed), the presenter's speaker notes,
// and a lesson file read again as its author saves it (open --watch).

// LessonReloadedMsg is the lesson file read again after a save: the lesson, or its
// problems as check reports them.
type LessonReloadedMsg struct {
	Lesson *lessons.Lesson
	Errs   []error
}

type classChangedTeacherMsg struct{}

// classInit puts the step on every student's screen and listens to the room.
func (p *lessonPlayer) classInit() tea.Cmd {
	if p.class == nil {
		return nil
	}
	p.class.Room.Show(p.lesson, p.state.Step)
	return p.classWait()
}

func (p *lessonPlayer) classWait() tea.Cmd {
	ch := p.class.Room.Changed()
	return func() tea.Msg {
		<-ch
		return classChangedTeacherMsg{}
	}
}

// classUpdate handles the room's changes, the reveal key and a reloaded lesson; done
// is false for everything else.
func (p *lessonPlayer) classUpdate(msg tea.Msg) (cmd tea.Cmd, done bool) {
	switch msg := msg.(type) {
	case LessonReloadedMsg:
		p.reload(msg)
		return nil, true
	case classChangedTeacherMsg:
		if p.class == nil {
			return nil, true
		}
		p.layout() // the strip's counts changed
		return p.classWait(), true
	case tea.KeyPressMsg:
		if p.class != nil && key.Matches(msg, p.c.Keys.Player.Reveal) {
			p.class.Room.Reveal()
			p.layout()
			return nil, true
		}
	}
	return nil, false
}

// classRun sends the run that just began to the room.
func (p *lessonPlayer) classRun(mem *stepMemory) {
	if p.class == nil {
		return
	}
	// What an earlier run measured must not judge this one if this one is not judged.
	mem.ran, mem.values = false, nil
	if source := p.panel.LiveSource(); source != nil {
		p.class.Room.Live(source)
	}
}

// classFinish tells the room how the run ended and which choice it supported: none
// when it failed or was disturbed (then nothing is judged).
func (p *lessonPlayer) classFinish(mem *stepMemory) {
	if p.class == nil {
		return
	}
	supported := -1
	if st := p.step(); st != nil && st.Predict != nil && mem.ran && mem.values != nil && mem.runErr == nil {
		supported, _ = st.Predict.Truth(mem.values)
	}
	p.class.Room.Finish(p.panel.Traces(), mem.values, supported)
}

// noteLines are the step's speaker notes, for the presenter's eyes only.
func (p *lessonPlayer) noteLines() []string {
	st := p.step()
	if !p.notes || st == nil || len(st.Notes) == 0 {
		return nil
	}
	s := p.c.Styles
	var lines []string
	for _, n := range st.Notes {
		for _, l := range common.WrapText("notes: "+lessons.Fill(n, p.memory[p.state.Step].values), p.width-2, "       ") {
			lines = append(lines, s.Accent.Render("  "+l))
		}
	}
	return lines
}

// reload shows the lesson as saved again, on the same step, or what is wrong with it.
func (p *lessonPlayer) reload(msg LessonReloadedMsg) {
	if len(msg.Errs) > 0 || msg.Lesson == nil {
		p.loadErrs = msg.Errs
		p.panel.Stop()
		return
	}
	p.loadErrs = nil
	p.panel.Stop()
	step := min(p.state.Step, max(len(msg.Lesson.Steps)-1, 0))
	p.lesson = msg.Lesson
	p.memory = make([]stepMemory, len(msg.Lesson.Steps))
	for i := range p.memory {
		p.memory[i].chosen = -1
	}
	p.state = stepState{Steps: len(msg.Lesson.Steps), Chosen: -1}
	p.shown = ""
	p.enter(step)
	p.layout()
}

// loadErrsView shows the lesson file's problems where the lesson would be.
func (p *lessonPlayer) loadErrsView() string {
	s := p.c.Styles
	lines := []string{s.Title.Render(common.TruncateLine(p.lesson.Title, p.width)),
		s.Subtle.Render(common.TruncateLine("The lesson file has problems; save it fixed and the lesson comes back:", p.width)), ""}
	for _, err := range p.loadErrs {
		for _, l := range common.WrapText(err.Error(), p.width, "  ") {
			lines = append(lines, s.Error.Render(l))
		}
	}
	return common.FitLines(lines, p.width, p.height, common.GlyphEllipsis, false)
}
