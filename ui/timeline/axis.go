package timeline

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
)

// This file draws what explains the lanes: the time axis under them and the legend.

// niceStep is the smallest 1, 2 or 5 × 10^k nanoseconds that is at least min; a span
// too long for an int64 (a corrupt trace) gets the longest step there is.
func niceStep(min float64) int64 {
	if !(min > 1) { // also NaN
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(min)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= min {
			if m*p >= math.MaxInt64 {
				return math.MaxInt64
			}
			return int64(math.Round(m * p))
		}
	}
	return math.MaxInt64
}

// niceCeil rounds a duration up to 1, 2 or 5 × 10^k, so a live axis rescales only now
// and then instead of every frame.
func NiceCeil(ns int64) int64 { return niceStep(float64(ns)) }

// axisTick is one labelled point of the time axis.
type axisTick struct {
	col   int
	label string
}

// axisTicks places labels for the window [from, to) over cols columns: round values
// in one unit chosen for the window, never closer than a label and two spaces. Any
// span an int64 holds is safe: the steps never overflow and there are at most cols
// of them.
func axisTicks(from, to int64, cols int) []axisTick {
	if cols <= 0 || to <= from {
		return nil
	}
	perCol := (float64(to) - float64(from)) / float64(cols) // to-from may not fit an int64
	unit, name := experiment.DurationUnit(max(to, 1))
	const labelCols = 8 // "1500ms" and a gap
	step := niceStep(perCol * labelCols)
	decimals := 0
	if step < unit {
		decimals = int(math.Ceil(math.Log10(float64(unit) / float64(step))))
	}
	var out []axisTick
	next := 0 // first column a label may start at
	t, ok := roundUp(from, step)
	for n := 0; ok && t < to && n <= cols; n++ {
		col := int(math.Round((float64(t) - float64(from)) / perCol))
		label := "0"
		if t != 0 {
			label = experiment.FormatDecimal(float64(t)/float64(unit), decimals) + name
		}
		if (from >= 0 || t >= 0) && col >= next && col+len([]rune(label)) <= cols {
			out = append(out, axisTick{col, label})
			next = col + len([]rune(label)) + 2
		}
		ok = t <= math.MaxInt64-step
		t += step
	}
	return out
}

// roundUp is the first multiple of step at or after v; ok is false when there is
// none an int64 holds.
func roundUp(v, step int64) (int64, bool) {
	q := v / step * step // towards zero: at or after v when v < 0
	if q >= v {
		return q, true
	}
	if q > math.MaxInt64-step {
		return 0, false
	}
	return q + step, true
}

// axis is the time line under the lanes: round times in one unit and, while a run is
// live or replaying, a ▲ at now.
func (p *painter) axis(f frame, labelW, cols int) string {
	row := make([]cell, cols)
	for i := range row {
		row[i] = cell{common.GlyphBlank, common.ToneSubtle}
	}
	if f.to <= f.from {
		return p.row("", labelW, row)
	}
	perCol := (float64(f.to) - float64(f.from)) / float64(cols)
	lo, hi := cols, -1 // columns the now label takes
	if f.now >= f.from && f.now <= f.to {
		col := min(int((float64(f.now)-float64(f.from))/perCol), cols-1)
		label := []rune(common.GlyphNow + experiment.FormatDuration(time.Duration(f.now), experiment.Short))
		start := col
		if start+len(label) > cols {
			label = []rune(experiment.FormatDuration(time.Duration(f.now), experiment.Short) + common.GlyphNow)
			start = col - len(label) + 1
		}
		if start >= 0 {
			for i, r := range label {
				row[start+i] = cell{r, common.ToneAccent}
			}
			lo, hi = start, start+len(label)-1
		}
	}
	for _, t := range axisTicks(f.from, f.to, cols) {
		end := t.col + len([]rune(t.label)) - 1
		if end >= lo-1 && t.col <= hi+1 {
			continue
		}
		for i, r := range []rune(t.label) {
			row[t.col+i] = cell{r, common.ToneSubtle}
		}
	}
	return p.row("", labelW, row)
}

// markLegend says what the worker marks on core lanes mean: lanes past T9 carry a
// letter before their name ("a T10"), and past z a "*".
func markLegend(seen seenCells) string {
	switch {
	case seen.starMarks:
		return "1-9 a-z on a core: that worker (* past z)"
	case seen.letterMarks:
		return "1-9 a-z on a core: that worker"
	case seen.workerMarks:
		return "1-9 on a core: the worker"
	}
	return ""
}

// legendShorter is what a screen's legend says instead of a part that does not fit.
var legendShorter = map[string]string{
	"1-9 a-z on a core: that worker (* past z)": "1-9 a-z on a core: that worker",
	"1-9 a-z on a core: that worker":            "1-9 a-z: worker on a core",
}

// legendOrder is the order states are explained in: what matters most first.
var legendOrder = []timeline.State{timeline.Running, timeline.WaitGIL, timeline.Preempted, timeline.IO,
	timeline.Transfer, timeline.Starting, timeline.Idle}

// legend explains the glyphs drawn, in as many states as fit.
func (p *painter) legend(seen seenCells, d *Drawing, width int) string {
	mixed, busyLevels := d.mixed, d.levels
	var parts []string
	if d.hidden > 0 {
		hint := " · v" // a page has no keys to press
		if !p.styled {
			hint = " hidden"
		}
		parts = append(parts, p.text(fmt.Sprintf("+%d %s%s", d.hidden, plural(d.hidden, "lane"), hint), common.ToneAccent))
	}
	any := false
	for _, st := range legendOrder {
		any = any || seen.states[st]
	}
	for _, st := range legendOrder {
		if seen.states[st] || !any {
			parts = append(parts, p.text(string(common.StateGlyphs[st]), common.StateTone(st))+" "+stateName(st, d.watched))
		}
	}
	if busyLevels {
		// One ramp for both kinds of lane: a worker's share of the cell computing,
		// a core's share busy.
		parts = append(parts, string([]rune{common.Levels[0], common.Levels[3], common.Levels[6]})+" share of cell running")
	}
	parts = append(parts, extraLaneLegends(d)...)
	if mixed {
		parts = append(parts, string(common.GlyphMixed)+" mixed (zoom in)")
	}
	if part := markLegend(seen); part != "" {
		parts = append(parts, part)
	}
	var b strings.Builder
	w := 0
	for _, part := range parts {
		pw := ansi.StringWidth(part)
		for short, ok := legendShorter[part]; ok && p.styled && w+2+pw > width; short, ok = legendShorter[part] {
			part, pw = short, ansi.StringWidth(short)
		}
		if w > 0 && w+2+pw > width && !p.styled && pw <= width {
			// A page has room below: what does not fit goes on a second line.
			b.WriteString("\n")
			w = 0
		}
		if w > 0 && w+2+pw > width {
			break
		}
		if w > 0 {
			b.WriteString("  ")
			w += 2
		}
		if pw > width {
			break
		}
		b.WriteString(part)
		w += pw
	}
	return b.String()
}

// plural is noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return noun
	}
	return noun + "s"
}

// extraLaneLegends say how to read the lanes that are neither a worker's nor a core's.
func extraLaneLegends(d *Drawing) []string {
	var parts []string
	if d.inflight > 0 {
		parts = append(parts, inflightLegend(d.inflight))
	}
	if d.counter {
		parts = append(parts, counterLegend())
	}
	if d.queue {
		parts = append(parts, queueLegend())
	}
	if d.results {
		parts = append(parts, resultsLegend())
	}
	return parts
}
