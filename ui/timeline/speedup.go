package timeline

import (
	"github.com/coreography/coreography/internal/speedup"
	"github.com/coreography/coreography/internal/timeline"
)

// speedupPlotMin is how many distinct worker counts make a curve worth drawing.
const SpeedupPlotMin = 3

// SpeedupPlot draws the speed-up curve of runs that differ in their worker count (as
// the amdahl lesson's, or the scale command's), with the fitted Amdahl law; "" when
// the runs are not such a series. Each run's speed-up is over its calibrated serial
// time, so real and simulated points share one scale.
func SpeedupPlot(runs []timeline.Stats, width int, colour bool) string {
	return SpeedupPlotSized(runs, width, 12, colour)
}

// SpeedupPlotSized is SpeedupPlot with the plot area height rows high.
func SpeedupPlotSized(runs []timeline.Stats, width, height int, colour bool) string {
	seen := map[int]bool{}
	points := make([]speedup.Point, 0, len(runs))
	for _, r := range runs {
		seen[r.Workers] = true
		points = append(points, speedup.Point{Workers: r.Workers, Cores: r.Cores, Wall: r.Wall, WallS: r.Wall.Seconds(),
			Speedup: r.Speedup, Source: r.Source})
	}
	if len(seen) < SpeedupPlotMin {
		return ""
	}
	return speedup.Plot(points, speedup.FitAmdahl(points), max(width-12, 30), max(height, 3), colour)
}
