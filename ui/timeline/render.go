// Package timeline draws runs as lanes over time, with their axis, legend and
// figures: the widget the screens show and the plain text headless output prints.
package timeline

import (
	"strings"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
)

// RenderRun draws a finished run for a plain terminal, width columns wide and without
// colour: a title, the core and worker lanes over the whole run (at most
// plainMaxLanes lines of them, a note naming the rest), the time axis, the legend and
// the measured figures. It is the TUI's own drawing in plain mode.
func RenderRun(t *timeline.Trace, width int) string {
	width = max(width, 20)
	traces := []*timeline.Trace{t}
	d := NewTimeline(nil).Draw(traces, t.End-t.Begin, -1, -1, width, plainMaxLanes)
	var b strings.Builder
	b.WriteString(FitTitle(t, width))
	b.WriteString("\n\n")
	b.WriteString(d.String())
	b.WriteString("\n\n")
	if c, ok := PickCloseUp(traces, width, 0); ok {
		// Spans narrower than a column in the overview: draw the stretch where they
		// are resolvable close up, so the hand-offs themselves are on the page.
		b.WriteString(common.TruncateLine(c.Title(false), width))
		b.WriteString("\n")
		// Only a few lanes, those busy in the window: the overview already drew them all.
		c.Trace = activeLanes([]*timeline.Trace{c.Trace}, c.from, c.to, plainCloseUpLanes)[0]
		b.WriteString(c.Draw(nil, width, 0).String())
		b.WriteString("\n\n")
	}
	stats := timeline.Compute(t)
	b.WriteString(renderStats([]timeline.Stats{stats}, width, plainPainter))
	b.WriteString("\n")
	if stats.Disturbed {
		b.WriteString(wrapPlainNote("disturbed: "+Disturbance(stats)+"; these figures are not the run's alone.", width))
	}
	return b.String()
}
