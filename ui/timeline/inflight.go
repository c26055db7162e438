package timeline

import (
	"fmt"
	"math"
	"slices"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
)

// This file draws the in-flight lane: how many tasks were under way (started, not
// yet finished) over time, as a level per cell. Ten thousand coroutines on one loop
// lane, or fifty threads all waiting when only a few lanes fit, show there.

// inflightLabel labels the in-flight lane.
const inflightLabel = "tasks"

// maxInflight is the most tasks of t under way at once, from its finished tasks: a
// walk over their starts and their ends, each sorted, an end first at a tie.
func maxInflight(t *timeline.Trace) int {
	starts := make([]int64, 0, len(t.Results))
	ends := make([]int64, 0, len(t.Results))
	for _, r := range t.Results {
		if r.Start > 0 && r.End > r.Start {
			starts, ends = append(starts, r.Start), append(ends, r.End)
		}
	}
	// Results are kept in completion order, so both come nearly sorted, which plain
	// int64s sort in a pass, many times faster than start/end pairs sorted by a func
	// (docs/performance.md).
	slices.Sort(starts)
	slices.Sort(ends)
	n, most, e := 0, 0, 0
	for _, s := range starts {
		for ends[e] <= s { // every task that ended by s, ended before s started
			n--
			e++
		}
		n++
		most = max(most, n)
	}
	return most
}

// inflightCells averages how many tasks were under way over each of cols cells of
// [from, to) ns since t's begin, counting nothing after upTo (a replay's playhead).
func inflightCells(t *timeline.Trace, from, to, upTo int64, cols int) []float64 {
	out := make([]float64, cols)
	cellNs := float64(to-from) / float64(cols)
	if cellNs <= 0 {
		return out
	}
	for _, r := range t.Results {
		if r.Start <= 0 || r.End <= r.Start {
			continue
		}
		s, e := float64(r.Start-t.Begin-from), float64(r.End-t.Begin-from)
		s, e = max(s, 0), min(e, float64(to-from), float64(upTo-from))
		for k := int(s / cellNs); k < cols && float64(k)*cellNs < e; k++ {
			lo, hi := max(s, float64(k)*cellNs), min(e, float64(k+1)*cellNs)
			if hi > lo {
				out[k] += (hi - lo) / cellNs
			}
		}
	}
	return out
}

// inflightRow draws the in-flight lane of t up to upTo ns since its begin: each
// cell's average against the most at once, as a level, in the running tone. Its
// label is short enough for the narrowest label column, so it never widens the lanes.
func (p *painter) inflightRow(t *timeline.Trace, from, to, upTo int64, labelW, cols, most int) string {
	row := make([]cell, cols)
	avg := inflightCells(t, from, to, upTo, cols)
	for k, v := range avg {
		if v <= 0 || most <= 0 {
			row[k] = cell{common.GlyphBlank, common.ToneNone}
			continue
		}
		row[k] = cell{levelGlyph(math.Max(v/float64(most), 1.0/16)), common.StateTone(timeline.Running)}
	}
	return p.row(inflightLabel, labelW, row)
}

// inflightLegend says how to read the in-flight lane.
func inflightLegend(most int) string {
	return fmt.Sprintf("tasks: how many under way, %c = %d", common.Levels[len(common.Levels)-1], most)
}

// mostlyOffCPU reports whether t's workers spent under a quarter of their busy time
// (not idle, not off) on a core: an I/O run, whose worker lanes carry it and whose
// core lanes are nearly blank. It samples at most a few thousand spans.
func mostlyOffCPU(t *timeline.Trace) bool {
	total := 0
	for _, l := range t.Lanes {
		total += len(l.Events)
	}
	stride := max(total/focusSample, 1)
	var on, busy int64
	for _, l := range t.Lanes {
		for i := 0; i < len(l.Events); i += stride {
			s := l.Span(i, t.End)
			if s.State == timeline.Off || s.State == timeline.Idle {
				continue
			}
			busy += s.Duration()
			if s.State.OnCPU() {
				on += s.Duration()
			}
		}
	}
	return busy > 0 && on*4 < busy
}
