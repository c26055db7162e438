// Package common is what every screen shares: Common, the styles and glyphs, the
// keys, and the text helpers that fit lines to a width.
package common

import (
	"time"

	"charm.land/bubbles/v2/key"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// Common is what every screen shares, passed down by pointer from the root model:
// the size a child may draw in, the styles, the keys, and how the app is shown.
// Children return strings; only the root returns a tea.View.
type Common struct {
	Width, Height int
	Styles        *Styles
	Theme         Theme // what Styles were made for; Dark follows the terminal's background
	Keys          KeyMap
	Present       bool              // projector mode: roomier, high contrast, step counter, no help bar
	Runner        experiment.Runner // runs every experiment; a fake one in tests
	FrameEpoch    time.Time         // when the renderer's clock started (Init): frames fall between its flushes
	Flushes       *Flushes          // the renderer's writes, when the program reports them; nil otherwise
	CPUMeter      CPUMeter          // measures the app's own CPU for the run panel; nil: this process's threads
	Now           func() time.Time  // the clock replays are timed by; nil: time.Now (tests hold it still)
	References    References        // the lessons' reference runs; nil: none
}

// References finds the reference run of a lesson's step and run (both from 1),
// recorded on a quiet machine, and says where and when it was recorded.
type References func(lessonID string, step, run int) (trace *timeline.Trace, label string, err error)

// Component is one screen or panel: it draws itself into the size it is given and
// says which keys it answers to, so the help bar is generated from the real keys.
type Component interface {
	SetSize(width, height int)
	View() string
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
}

// CPUMeter reads what watching a run has cost so far, for the run panel's observer:
// the CPU time of every thread of this process but the workers named by the traces.
// ok is false where it cannot be measured. Tests give a steady one.
type CPUMeter interface {
	Read(traces []*timeline.Trace) (cpu time.Duration, ok bool)
}
