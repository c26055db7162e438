package ui

import (
	uitimeline "github.com/coreography/coreography/ui/timeline"
)

// This file is the room a comparison needs in the lesson player: three runs of two
// workers each are eleven lines of lanes and titles before the axis, and at 80×24,
// or on a projector (--present), half the screen cut worker 2 of a process pool
// away. Once the learner has pressed run, the text has been read: the panel takes
// what keeps every run's first two worker lanes, and the text scrolls in the rest.

// headerHeight is the lines above the text: the title line, a blank one on a
// projector, and a class's strip.
func (p *lessonPlayer) headerHeight() int {
	strip := len(p.classStrip())
	if p.c.Present {
		return 2 + strip
	}
	return 1 + strip
}

// minTextLines is how much of the step's text a comparison leaves on screen.
const minTextLines = 3

// comparisonRoom is the height the panel needs, out of rest lines, to show every
// lane of each run's first smallPool workers with its titles, axis, legend and
// the comparison table's first rows; 0 before a run, or for one run, which the
// usual half already fits.
func (p *lessonPlayer) comparisonRoom(rest int) int {
	specs := p.panel.Specs()
	if len(specs) < 2 || (!p.panel.Busy() && len(p.panel.Traces()) == 0) {
		return 0
	}
	need := 1 + len(specs) + 2 + 2 // header, a title per run, axis and legend, two rows of figures
	for _, s := range specs {
		need += min(s.Normalized().Workers, uitimeline.SmallPool)
	}
	return min(need, rest-minTextLines)
}
