package ui

import (
	"time"

	"charm.land/bubbles/v2/key"

	"github.com/coreography/coreography/internal/experiment"
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
}

// Component is one screen or panel: it draws itself into the size it is given and
// says which keys it answers to, so the help bar is generated from the real keys.
type Component interface {
	SetSize(width, height int)
	View() string
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
}
