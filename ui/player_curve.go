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

// hasCurve reports whether the step's finished runs draw a chart: a speed-up curve,
// or what a waiting task cost in memory run by run.
func (p *lessonPlayer) hasCurve() bool {
	mem := p.memory[p.state.Step]
	if !mem.ran || p.panel.Busy() {
		return false
	}
	return p.speedupRuns() || uitimeline.MemoryBars(mem.stats, max(p.width, 40)) != ""
}

// speedupRuns reports whether the step's runs are one computation over enough worker
// counts to draw a speed-up curve: the same tasks, more or fewer workers. Runs that
// mostly wait (io-bound's downloads) are not: the curve's core limit and Amdahl fit
// say nothing about them, and drawn beside a measured 18x they contradict the screen.
func (p *lessonPlayer) speedupRuns() bool {
	stats := p.memory[p.state.Step].stats
	seen := map[int]bool{}
	for _, s := range stats {
		if s.Tasks != stats[0].Tasks || s.IdealSerial != stats[0].IdealSerial || s.CPU < s.IdealSerial/2 {
			return false
		}
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
	key := p.c.Styles.Subtle.Render(common.HelpKey(p.c.Keys.Player.Curve) + ": the runs' lanes")
	if !p.speedupRuns() {
		lines := strings.Split(uitimeline.MemoryBars(mem.stats, p.width), "\n")
		lines[0] = common.TruncateLine(p.c.Styles.Header.Render(lines[0])+"  "+key, p.width)
		for len(lines) < p.panelHeight {
			lines = append(lines, "")
		}
		return strings.Join(lines[:p.panelHeight], "\n")
	}
	title := p.c.Styles.Header.Render("speed-up by workers") + "  " + key
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
	if len(lines) == 1 {
		return "" // no room for the plot: the panel shows
	}
	for len(lines) < p.panelHeight {
		lines = append(lines, "")
	}
	return strings.Join(lines[:p.panelHeight], "\n")
}
