// Package ui draws coreography: the Bubble Tea screens and the text renderer that
// headless output shares with them.
package ui

import (
	"fmt"

	"github.com/coreography/coreography/timeline"
)

// RenderRun draws a run for a plain terminal: timeline lanes, legend and stats, width
// columns wide, without colour. (STUB: the ui helper replaces the body.)
func RenderRun(t *timeline.Trace, width int) string {
	s := timeline.Compute(t)
	return fmt.Sprintf("wall %v  speedup %.2fx\n", s.Wall, s.Speedup)
}
