package ui

import (
	"context"
	"errors"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
)

// This file is a student's lab: between the teacher's runs a student may try specs
// of their own on the model machine (sim), never for real on the teacher's machine,
// and the teacher's next run takes them back to the class.

// errRealInClass is what a student's lab says to a real run.
var errRealInClass = errors.New("in a class the lab runs the model only: press S for sim; real runs are the teacher's")

// simOnly runs model runs and refuses real ones, whatever spec the lab makes.
type simOnly struct{ sim experiment.Runner }

func (r simOnly) Run(ctx context.Context, spec experiment.Spec, rec *timeline.Recorder) error {
	if !spec.Sim || r.sim == nil {
		return errRealInClass
	}
	return r.sim.Run(ctx, spec, rec)
}

// openLab opens the student's lab on the step's first run as a model, or the
// default spec; nil when the class has no model to run or the teacher's run is live.
func (m *classStudent) openLab() tea.Cmd {
	if m.sim == nil || (m.state != nil && m.state.Phase == ClassRunning) {
		return nil
	}
	spec := experiment.Spec{Model: experiment.Threads}
	if st := m.state.StepData(); st != nil && st.Experiment != nil && len(st.Experiment.Runs) > 0 {
		spec = st.Experiment.Runs[0]
	}
	spec.Sim = true
	lc := *m.c
	lc.Runner = simOnly{m.sim}
	m.lab = NewLab(&lc, spec)
	m.lab.SetSize(m.width, max(m.height-1, 0))
	return m.lab.Init()
}

// closeLab goes back to the class, stopping the lab's run.
func (m *classStudent) closeLab() {
	if m.lab != nil {
		m.lab.Stop()
		m.lab = nil
	}
}

// labKey handles a key while the lab is open: esc goes back to the class.
func (m *classStudent) labKey(msg tea.KeyPressMsg) tea.Cmd {
	if key.Matches(msg, m.c.Keys.Global.Back) {
		m.closeLab()
		m.layout()
		return nil
	}
	return m.lab.Update(msg)
}

// labScreen is the lab with a line saying whose it is.
func (m *classStudent) labScreen() string {
	s := m.c.Styles
	return m.lab.View() + "\n" + s.HelpBar.Render(common.TruncateLine("your lab: the model only · esc back to the class · q leave", m.width))
}
