package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
	"github.com/coreography/coreography/ui/panel"
)

// Replay shows a recorded run, such as one written with --trace: the timeline with
// zoom, pan and lanes, its figures, and slowed-down playback.
type Replay struct {
	c     *common.Common
	panel *panel.RunPanel
	trace *timeline.Trace
}

// NewReplay shows t.
func NewReplay(c *common.Common, t *timeline.Trace) *Replay {
	r := &Replay{c: c, panel: panel.NewRunPanel(c), trace: t}
	if t != nil {
		r.panel.ShowTraces([]*timeline.Trace{t})
	}
	return r
}

// Init starts nothing: the learner presses R to play it back.
func (r *Replay) Init() tea.Cmd { return nil }

// Update passes the panel its keys and ticks.
func (r *Replay) Update(msg tea.Msg) tea.Cmd { return r.panel.Update(msg) }

// SetSize lays the replay out for width × height.
func (r *Replay) SetSize(width, height int) { r.panel.SetSize(width, height) }

// View draws the recorded run.
func (r *Replay) View() string { return r.panel.View() }

// ShortHelp lists the replay's keys.
func (r *Replay) ShortHelp() []key.Binding { return r.panel.ShortHelp() }

// FullHelp lists every replay key.
func (r *Replay) FullHelp() [][]key.Binding { return r.panel.FullHelp() }
