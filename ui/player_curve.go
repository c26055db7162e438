package ui

import (
	"strings"

	"github.com/coreography/coreography/ui/common"
	uitimeline "github.com/coreography/coreography/ui/timeline"
)

// This file draws, in the panel's place, the speed-up curve of a finished run set
// over several worker counts (the amdahl lesson's): measured points, the fitted law
// and the ideal line, which seven runs' lanes at 80 columns could not say. The
// curve key switches to the lanes and back.

// hasCurve reports whether the step's finished runs draw a speed-up curve.
func (p *lessonPlayer) hasCurve() bool {
	mem := p.memory[p.state.Step]
	if !mem.ran || p.panel.Busy() {
		return false
	}
	seen := map[int]bool{}
	for _, s := range mem.stats {
		seen[s.Workers] = true
	}
	return len(seen) >= uitimeline.SpeedupPlotMin
}

// curveView is the curve drawn in the panel's height, or "" when the panel shows.
func (p *lessonPlayer) curveView() string {
	if p.panelHeight <= 0 || !p.hasCurve() || p.memory[p.state.Step].lanes {
		return ""
	}
	mem := p.memory[p.state.Step]
	title := p.c.Styles.Header.Render("speed-up by workers") + "  " +
		p.c.Styles.Subtle.Render(common.HelpKey(p.c.Keys.Player.Curve)+": the runs' lanes")
	lines := []string{common.TruncateLine(title, p.width)}
	for h := p.panelHeight - 1; h >= 4; h-- {
		plot := uitimeline.SpeedupPlotSized(mem.stats, p.width, h-4, false)
		if n := common.LineCount(plot); n <= p.panelHeight-1 {
			for _, l := range strings.Split(plot, "\n") {
				lines = append(lines, common.TruncateLine(l, p.width))
			}
			break
		}
	}
	for len(lines) < p.panelHeight {
		lines = append(lines, "")
	}
	return strings.Join(lines[:p.panelHeight], "\n")
}
