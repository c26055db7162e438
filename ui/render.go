// Package ui draws coreography: the Bubble Tea screens, the timeline widget and the
// text renderer that headless output shares with them.
package ui

import (
	"strings"
	"time"

	"github.com/coreography/coreography/experiment"
	"github.com/coreography/coreography/timeline"
)

// RenderRun draws a finished run for a plain terminal, width columns wide and without
// colour: a title, every core and worker lane over the whole run, the time axis, the
// legend and the measured figures. It is the TUI's own drawing in plain mode.
func RenderRun(t *timeline.Trace, width int) string {
	width = max(width, 20)
	traces := []*timeline.Trace{t}
	d := NewTimeline(nil).Draw(traces, t.End-t.Begin, -1, -1, width, 0)
	var b strings.Builder
	b.WriteString(truncateLine(t.Title(), width))
	b.WriteString("\n\n")
	b.WriteString(d.String())
	b.WriteString("\n\n")
	if wall := t.End - t.Begin; d.mixed && wall > 0 {
		// Hand-offs faster than a column: draw a slice from the middle of the run
		// close up, so the alternation itself is on the page.
		w := max(niceCeil(wall/16), 1)
		from := max((wall-w)/2, 0)
		closeUp := NewTimeline(nil)
		closeUp.SetMode(LanesWorkers)
		detail := closeUp.DrawWindow(traces, from, from+w, width)
		b.WriteString(truncateLine("close up, "+experiment.FormatDuration(time.Duration(from), "")+" to "+experiment.FormatDuration(time.Duration(from+w), "")+":", width))
		b.WriteString("\n")
		b.WriteString(detail.String())
		b.WriteString("\n\n")
	}
	stats := timeline.Compute(t)
	b.WriteString(renderStats([]timeline.Stats{stats}, width, plainPainter))
	b.WriteString("\n")
	if stats.Disturbed {
		b.WriteString(wrapPlainNote("disturbed: "+disturbance(stats)+"; these figures are not the run's alone.", width))
	}
	return b.String()
}
