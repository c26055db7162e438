package panel

import (
	"time"

	"github.com/coreography/coreography/ui/common"
	uitimeline "github.com/coreography/coreography/ui/timeline"
)

// This file is the run panel's close-up: under the overview of a finished run, the
// stretch where its phenomenon is resolvable (ui/timeline picks it: PickCloseUp), so the
// learner sees the hand-offs without zooming. The focus key cycles what is shown.

// focusView is what the panel draws of a finished run.
type focusView int

const (
	focusBoth     focusView = iota // the overview, and the close-up under it when there is room
	focusOverview                  // the overview only
	focusOnly                      // the close-up only
)

func (v focusView) String() string {
	return [...]string{"overview + close-up", "overview", "close-up"}[v]
}

// next is the view the focus key turns to. When the close-up did not fit under the
// overview, the overview alone would look just the same, and the key would seem to do
// nothing: it goes straight to the close-up.
func (v focusView) next(closeUpShown bool) focusView {
	if v == focusBoth && !closeUpShown {
		return focusOnly
	}
	return (v + 1) % 3
}

// SetFocus fixes the close-up's width, as a lesson's focus: does; 0 picks it from
// each run's trace.
func (p *RunPanel) SetFocus(width time.Duration) {
	p.focusWidth = max(width, 0)
	p.render()
}

// minOverviewLanes is how many overview lane lines the close-up leaves above it.
const minOverviewLanes = 2

// closeUp is the close-up the panel would draw now, if any: only for a finished run
// (a live one has no settled picture yet) and not in the overview-only view.
func (p *RunPanel) closeUp(width int) (uitimeline.CloseUp, bool) {
	if !p.state.finished() || p.focus == focusOverview || len(p.traces) == 0 {
		return uitimeline.CloseUp{}, false
	}
	if p.watchedTrace() != nil && p.focus != focusOnly {
		// A watched tree's overview (its lanes and summary) is what was asked for; the
		// close-up is there on f.
		return uitimeline.CloseUp{}, false
	}
	return uitimeline.PickCloseUp(p.traces, width, int64(p.focusWidth))
}

// closeUpLines draws c under the overview in at most room lines: its title, its
// worker lanes and its axis. It draws nothing when even one lane does not fit.
func (p *RunPanel) closeUpLines(c uitimeline.CloseUp, width, room int) []string {
	if room < 3 {
		return nil
	}
	d := c.Draw(p.c.Styles, width, room-2)
	out := []string{p.tl.Text(common.TruncateLine(c.Title(len(p.traces) > 1), width), common.ToneSubtle)}
	out = append(out, d.Lanes...)
	return append(out, d.Axis)
}

// closeUpWanted is how many lines the close-up of c wants under the overview.
func closeUpWanted(c uitimeline.CloseUp) int { return len(c.Trace.Lanes) + 2 }

// closeUpAlone draws c in place of the overview, in at most room lines: its title,
// lanes, axis and legend.
func (p *RunPanel) closeUpAlone(c uitimeline.CloseUp, width, room int) []string {
	d := c.Draw(p.c.Styles, width, max(room-3, 1))
	out := []string{p.tl.Text(common.TruncateLine(c.Title(len(p.traces) > 1), width), common.ToneSubtle)}
	out = append(out, d.Lanes...)
	return append(out, d.Axis, d.Legend)
}

// closeUpRoom is how many of lanes lines the close-up c gets below the overview: what
// it wants, leaving the overview a couple of lanes. A comparison's overview is the
// point of it, so there the close-up only gets what all of its lanes leave.
func (p *RunPanel) closeUpRoom(c uitimeline.CloseUp, lanes int) int {
	overview := max(min(p.tl.LinesWanted(p.traces), lanes-closeUpWanted(c)), minOverviewLanes)
	if len(p.traces) > 1 {
		overview = p.tl.LinesWanted(p.traces)
	}
	return lanes - overview
}
