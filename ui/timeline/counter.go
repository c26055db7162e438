package timeline

import (
	"sort"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
)

// This file draws the counter lane of a run whose threads add to one shared counter:
// the value as it grows, against every increment the run will make, and × in each
// cell where updates were lost, so a race is seen where it happens.

const counterLabel = "counter"

// counterLevels are the counter's height in a cell, from nearly nothing to everything.
var counterLevels = []rune("▁▂▃▄▅▆▇█")

// glyphCounterLost marks a cell in which the counter lost updates.
const glyphCounterLost = '×'

// counterRow draws t's counter samples within [from, to) ns of its begin, up to upTo.
func (p *painter) counterRow(t *timeline.Trace, from, to, upTo int64, labelW, cols int) string {
	row := blankRow(cols)
	span := to - from
	samples := t.Counter
	if span <= 0 || len(samples) == 0 {
		return p.row(counterLabel, labelW, row)
	}
	total := max(t.CounterExpected, samples[len(samples)-1].Made, 1)
	lostBefore := int64(0)
	for k := range row {
		end := t.Begin + from + (int64(k)+1)*span/int64(cols)
		if end-t.Begin > upTo+span/int64(cols) {
			break
		}
		i := sort.Search(len(samples), func(i int) bool { return samples[i].T > end }) - 1
		if i < 0 {
			continue
		}
		s := samples[i]
		level := int(float64(s.Value) / float64(total) * float64(len(counterLevels)))
		row[k] = cell{r: counterLevels[min(max(level, 0), len(counterLevels)-1)], t: common.StateTone(timeline.Running)}
		if lost := s.Made - s.Value; lost > lostBefore {
			row[k] = cell{r: glyphCounterLost, t: common.ToneError}
			lostBefore = lost
		}
	}
	return p.row(counterLabel, labelW, row)
}

// counterLegend says how to read the counter lane.
func counterLegend() string {
	return "counter: ▁▄█ the shared value, of every increment made; " + string(glyphCounterLost) + " updates lost here"
}
