package speedup

import (
	"fmt"
	"math"
	"strings"

	"github.com/guptarohit/asciigraph"
)

// Glyphs of the plot, one per series, named in its legend.
const (
	GlyphReal   = "●"
	GlyphSim    = "○"
	GlyphAmdahl = "─"
	GlyphIdeal  = "·"
)

// Plot draws the speed-up against workers on a log₂ axis: the ideal line, the fitted
// Amdahl curve, the measured points and the simulated points, each its own glyph,
// with a legend. width and height count the plot area's columns and rows; colour
// adds ANSI colours (off for golden files and NO_COLOR).
func Plot(points []Point, fit Amdahl, width, height int, colour bool) string {
	if len(points) == 0 {
		return ""
	}
	maxW := 1
	maxS := 1.0
	for _, p := range points {
		maxW = max(maxW, p.Workers)
		maxS = max(maxS, p.Speedup)
	}
	top := math.Log2(float64(maxW))
	cols := max(width, 16)
	col := func(n int) int {
		if top == 0 {
			return 0
		}
		return int(math.Round(math.Log2(float64(n)) / top * float64(cols-1)))
	}
	ideal, law := make([]float64, cols), make([]float64, cols)
	real, sim := nan(cols), nan(cols)
	for c := range cols {
		n := math.Exp2(float64(c) / float64(max(cols-1, 1)) * top)
		ideal[c] = n
		law[c] = fit.At(n)
	}
	for _, p := range points {
		if p.Source == "sim" {
			sim[col(p.Workers)] = p.Speedup
		} else {
			real[col(p.Workers)] = p.Speedup
		}
	}
	upper := max(maxS, fit.At(float64(maxW))) * 1.1
	for c := range ideal { // the ideal line leaves the plot rather than squash it
		ideal[c] = math.Min(ideal[c], upper)
	}
	opts := []asciigraph.Option{
		asciigraph.Height(max(height, 5)),
		asciigraph.LowerBound(0), asciigraph.UpperBound(upper),
		asciigraph.Precision(1),
		asciigraph.SeriesChars(asciigraph.CreateCharSet(GlyphIdeal), asciigraph.CreateCharSet(GlyphAmdahl),
			asciigraph.CreateCharSet(GlyphReal), asciigraph.CreateCharSet(GlyphSim)),
		asciigraph.XAxisRange(0, top),
		asciigraph.XAxisTickCount(int(top) + 1),
		asciigraph.XAxisValueFormatter(func(v float64) string { return fmt.Sprintf("%.0f", math.Exp2(v)) }),
		asciigraph.Caption("speed-up × by workers (log scale)"),
	}
	if colour {
		opts = append(opts, asciigraph.SeriesColors(asciigraph.Gray, asciigraph.Yellow, asciigraph.Green, asciigraph.Blue))
	}
	out := asciigraph.PlotMany([][]float64{ideal, law, real, sim}, opts...)
	// Our own legend: asciigraph's draws a coloured block, which says nothing without colour.
	legend := fmt.Sprintf("%s measured   %s simulated   %s Amdahl, serial fraction %.3f   %s ideal",
		GlyphReal, GlyphSim, GlyphAmdahl, fit.SerialFraction, GlyphIdeal)
	return strings.TrimRight(out, "\n") + "\n" + legend + "\n"
}

func nan(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = math.NaN()
	}
	return s
}
