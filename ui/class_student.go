package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/lessons"
	"github.com/coreography/coreography/ui/common"
	"github.com/coreography/coreography/ui/markdown"
	"github.com/coreography/coreography/ui/panel"
)

// classStudent is a student's screen in a class: the teacher's step, the prediction
// to answer with keys, the teacher's run drawn here from its traces at this screen's
// size, and the student's own verdict. Its keys move this screen only; it never runs
// anything (its Common has no Runner).
type classStudent struct {
	c      *common.Common
	seat   ClassSeat
	state  *ClassState
	panel  *panel.RunPanel
	md     markdown.Cache
	width  int
	height int

	lesson   *lessons.Lesson // the step loaded: a new one resets the screen
	step     int
	mine     int  // this student's answer, -1 before one
	settled  bool // the finished run is in the panel: later changes leave the student's zoom alone
	panelRow int  // lines the panel gets

	sim experiment.Runner // runs the student's lab on the model machine; nil: no lab
	lab *Lab              // the student's lab, while it is open
}

type classChangedMsg struct{}

// NewClassStudent is the screen of a student sitting at seat. sim runs their lab on
// the model machine between the teacher's runs (nil: no lab); real runs are refused.
func NewClassStudent(seat ClassSeat, sim experiment.Runner) tea.Model {
	theme := common.Theme{Dark: true}
	c := &common.Common{Styles: common.NewStyles(theme), Theme: theme, Keys: common.DefaultKeyMap()}
	return &classStudent{c: c, seat: seat, panel: panel.NewRunPanel(c), step: -1, mine: -1, sim: sim}
}

// wait receives the next change of the class.
func (m *classStudent) wait() tea.Cmd {
	ch := m.seat.Changed()
	return func() tea.Msg {
		<-ch
		return classChangedMsg{}
	}
}

func (m *classStudent) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, m.wait())
}

func (m *classStudent) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		if m.lab != nil {
			m.lab.SetSize(m.width, max(m.height-1, 0))
		}
	case tea.BackgroundColorMsg:
		m.c.Theme.Dark = msg.IsDark()
		*m.c.Styles = *common.NewStyles(m.c.Theme) // in place: the panel holds the pointer
		m.layout()
		return m, m.panel.Update(msg)
	case classChangedMsg:
		start := time.Now()
		st := m.seat.State()
		if st.Ended {
			return m, tea.Quit
		}
		m.apply(st)
		if st.Phase == ClassRunning {
			m.seat.Drew(time.Since(start))
		}
		return m, m.wait()
	case tea.KeyPressMsg:
		return m, m.key(msg)
	}
	if m.lab != nil {
		return m, tea.Batch(m.panel.Update(msg), m.lab.Update(msg))
	}
	return m, m.panel.Update(msg)
}

// key answers, leaves, or moves this screen's view of the run.
func (m *classStudent) key(msg tea.KeyPressMsg) tea.Cmd {
	k := m.c.Keys
	switch {
	case key.Matches(msg, k.Global.Quit):
		return tea.Quit
	case m.lab != nil:
		return m.labKey(msg)
	case key.Matches(msg, k.Home.Lab):
		return m.openLab()
	case key.Matches(msg, k.Player.Choose):
		choice := int(msg.String()[0] - '1')
		if m.seat.Answer(choice) {
			m.mine = choice
			m.layout()
		}
		return nil
	}
	return m.panel.Update(msg)
}

// apply shows a new state of the class.
func (m *classStudent) apply(st *ClassState) {
	m.state = st
	step := st.StepData()
	if st.Lesson != m.lesson || st.Step != m.step {
		m.lesson, m.step, m.settled = st.Lesson, st.Step, false
		m.panel.Stop()
		if step != nil && step.Experiment != nil {
			m.panel.SetRuns(step.Experiment.Runs)
			m.panel.SetFocus(step.Experiment.Focus)
		}
	}
	switch st.Phase {
	case ClassRunning:
		m.closeLab() // the teacher's run is everyone's: and it must run undisturbed
		m.settled = false
		m.panel.Mirror(st.Traces, true)
	case ClassFinished:
		if !m.settled {
			m.panel.Mirror(st.Traces, false)
			m.settled = true
		}
	}
	m.mine = m.seat.Mine()
	m.layout()
}

// layout gives the text what the prediction and the panel leave.
func (m *classStudent) layout() {
	if m.width <= 0 || m.height <= 0 {
		return
	}
	m.panelRow = 0
	if st := m.state.StepData(); st != nil && st.Experiment != nil {
		rest := m.height - 2 - common.LineCount(m.predictView())
		m.panelRow = max(min(rest*11/20, rest-3), min(rest, 8))
	}
	m.panel.SetSize(m.width, m.panelRow)
}

func (m *classStudent) View() tea.View {
	v := tea.NewView(m.screen())
	v.AltScreen = true
	return v
}

// screen is the student's whole screen: header, text, prediction, panel, keys.
func (m *classStudent) screen() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	if m.lab != nil {
		return m.labScreen()
	}
	s := m.c.Styles
	st := m.state.StepData()
	if st == nil {
		return common.FitText(s.Title.Render("coreography class")+"\n\n"+
			s.Text.Render("Waiting for the teacher to open a lesson…"), m.width, m.height, "", false)
	}
	header := common.TruncateLine(s.Title.Render(m.state.Lesson.Title)+
		s.Subtle.Render(fmt.Sprintf("  step %d/%d · class of %d", m.state.Step+1, len(m.state.Lesson.Steps), m.state.Students)), m.width)
	pred := m.predictView()
	textRows := max(m.height-2-m.panelRow-common.LineCount(pred), 0)
	parts := []string{header}
	if textRows > 0 {
		parts = append(parts, common.FitText(m.md.Render(m.text(st), m.width, markdown.ScreenLook(s)), m.width, textRows, "…", true))
	}
	if pred != "" {
		parts = append(parts, pred)
	}
	if m.panelRow > 0 {
		parts = append(parts, m.panel.View())
	}
	parts = append(parts, s.HelpBar.Render(common.TruncateLine(m.keysLine(), m.width)))
	return strings.Join(parts, "\n")
}

// text is the step's text: up to its experiment before the run, all of it with the
// measured values after.
func (m *classStudent) text(st *lessons.Step) string {
	text := st.Text
	if m.state.Phase != ClassFinished {
		if st.Experiment != nil && st.ExperimentAt > 0 && st.ExperimentAt <= len(text) {
			text = text[:st.ExperimentAt]
		}
		return lessons.Fill(text, nil)
	}
	return lessons.Fill(text, m.state.Values)
}

func (m *classStudent) keysLine() string {
	switch {
	case m.state.Phase == ClassVoting:
		return "1-9 answer · q leave"
	case m.state.Phase == ClassFinished && m.panelRow > 0:
		return "+/- zoom · h/l pan · R replay · s speed" + m.labHint() + " · q leave"
	}
	return "q leave" + m.labHint()
}

// labHint names the lab's key where there is a lab to open.
func (m *classStudent) labHint() string {
	if m.sim == nil || m.state.Phase == ClassRunning {
		return ""
	}
	return " · L your lab (model)"
}
