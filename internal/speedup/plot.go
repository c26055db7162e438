package speedup

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/guptarohit/asciigraph"
)

// Glyphs of the plot, one per series, named in its legend.
const (
	GlyphReal   = "●"
	GlyphSim    = "○"
	GlyphAmdahl = "─"
	GlyphIdeal  = "·"
	GlyphLimit  = "═" // past the machine's cores: the law's speed-up at the cores, flat
	GlyphOffTop = "↑" // where the ideal line leaves the top of the plot
)

// Plot draws the speed-up against workers on a log₂ axis: the ideal line, the fitted
// Amdahl curve, the measured points and the simulated points, each its own glyph,
// with a legend. Past the cores of core-limited points (MachineLimit) the curve is a
// flat line at its speed-up there, labelled as this machine's limit. The ideal line
// leaves the top rather than squash the plot, and a marker says where. width and
// height count the plot area's columns and rows; colour adds ANSI colours (off for
// golden files and NO_COLOR).
func Plot(points []Point, fit Amdahl, width, height int, colour bool) string {
	if len(points) == 0 {
		return ""
	}
	maxW, maxS := 1, 1.0
	for _, p := range points {
		maxW = max(maxW, p.Workers)
		maxS = max(maxS, p.Speedup)
	}
	top := math.Log2(float64(maxW))
	cols := max(width, 16)
	limit := MachineLimit(points)
	ideal, law, flat := make([]float64, cols), make([]float64, cols), nan(cols)
	for c := range cols {
		n := math.Exp2(float64(c) / float64(max(cols-1, 1)) * top)
		ideal[c], law[c] = n, fit.At(n)
		if limit > 0 && n > float64(limit) {
			law[c], flat[c] = math.NaN(), fit.At(float64(limit))
		}
	}
	if c := slices.IndexFunc(flat, func(v float64) bool { return !math.IsNaN(v) }); c > 0 {
		flat[c-1] = law[c-1] // joined to the curve it continues
	}
	real, sim := plotted(points, top, cols)
	upper := max(maxS, fit.At(float64(maxW))) * 1.1
	offTop, marker := clipIdeal(ideal, upper)
	opts := []asciigraph.Option{
		asciigraph.Height(max(height, 5)),
		asciigraph.LowerBound(0), asciigraph.UpperBound(upper),
		asciigraph.Precision(1),
		asciigraph.SeriesChars(asciigraph.CreateCharSet(GlyphIdeal), asciigraph.CreateCharSet(GlyphAmdahl),
			asciigraph.CreateCharSet(GlyphLimit), asciigraph.CreateCharSet(GlyphReal), asciigraph.CreateCharSet(GlyphSim),
			asciigraph.CreateCharSet(GlyphOffTop)),
		asciigraph.XAxisRange(0, top),
		asciigraph.XAxisTickCount(int(top) + 1),
		asciigraph.XAxisValueFormatter(func(v float64) string { return fmt.Sprintf("%.0f", math.Exp2(v)) }),
		asciigraph.Caption("speed-up × by workers (log scale)"),
	}
	if colour {
		opts = append(opts, asciigraph.SeriesColors(asciigraph.Gray, asciigraph.Yellow, asciigraph.Red,
			asciigraph.Green, asciigraph.Blue, asciigraph.Gray))
	}
	out := asciigraph.PlotMany([][]float64{ideal, law, flat, real, sim, marker}, opts...)
	return strings.TrimRight(out, "\n") + "\n" + legend(fit, limit, offTop) + "\n"
}

// plotted puts the measured and the simulated points in their columns.
func plotted(points []Point, top float64, cols int) (real, sim []float64) {
	real, sim = nan(cols), nan(cols)
	for _, p := range points {
		c := 0
		if top > 0 {
			c = int(math.Round(math.Log2(float64(p.Workers)) / top * float64(cols-1)))
		}
		if p.Source == "sim" {
			sim[c] = p.Speedup
		} else {
			real[c] = p.Speedup
		}
	}
	return real, sim
}

// clipIdeal cuts the ideal line at upper and returns the workers where it leaves the
// plot (0: it stays on it) and a series holding the marker at that column.
func clipIdeal(ideal []float64, upper float64) (offTop float64, marker []float64) {
	marker = nan(len(ideal))
	for c := range ideal {
		if ideal[c] > upper {
			if offTop == 0 {
				offTop, marker[c] = ideal[c], upper
			}
			ideal[c] = math.NaN()
		}
	}
	return offTop, marker
}

// legend is the plot's own legend: asciigraph's draws a coloured block, which says
// nothing without colour. Its second line, when there is one, says where the plot
// stops telling the whole story: the ideal off its top, the machine's limit.
func legend(fit Amdahl, limit int, offTop float64) string {
	out := fmt.Sprintf("%s measured   %s simulated   %s Amdahl, serial fraction %.3f   %s ideal",
		GlyphReal, GlyphSim, GlyphAmdahl, fit.SerialFraction, GlyphIdeal)
	var notes []string
	if limit > 0 {
		notes = append(notes, fmt.Sprintf("%s this machine's limit: %d %s, %.2f× (the law is fitted where workers ≤ cores)",
			GlyphLimit, limit, plural(limit, "core"), fit.At(float64(limit))))
	}
	if offTop > 0 {
		notes = append(notes, fmt.Sprintf("%s ideal leaves the top at %.0f workers", GlyphOffTop, offTop))
	}
	if len(notes) > 0 {
		out += "\n" + strings.Join(notes, "   ")
	}
	return out
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

func nan(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = math.NaN()
	}
	return s
}
