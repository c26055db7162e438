package timeline

import (
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
)

// This file draws the queue lane above the results lane: how many futures were
// pending (submitted, not yet started) in each cell, and ⊘ where they were
// cancelled, so "the six still waiting" and their cancellation are seen, not told.

const queueLabel = "queue"

// hasQueue reports whether some task of t waited to start long enough to show, or
// was cancelled while it waited.
func hasQueue(t *timeline.Trace) bool {
	span := t.End - t.Begin
	for _, r := range t.Results {
		if r.Outcome == timeline.Cancelled || (r.Start > 0 && r.Start-r.Submit > span/50) {
			return true
		}
	}
	return false
}

// queueRow counts, in each cell of [from, to) ns of t's begin up to upTo, the futures
// pending at its middle: a digit, + past nine; ⊘ where some were cancelled.
func (p *painter) queueRow(t *timeline.Trace, from, to, upTo int64, labelW, cols int) string {
	row := make([]cell, cols)
	for k := range row {
		row[k] = cell{r: common.GlyphBlank, t: common.ToneNone}
	}
	span := to - from
	if span <= 0 {
		return p.row(queueLabel, labelW, row)
	}
	for k := range row {
		at := from + (int64(k)*2+1)*span/int64(2*cols)
		if at > upTo {
			break
		}
		n := 0
		for _, r := range t.Results {
			left := r.Start // leaves the queue when a worker starts it, or when cancelled
			if r.Outcome == timeline.Cancelled || left == 0 {
				left = r.End
			}
			if r.Submit-t.Begin <= at && left-t.Begin > at {
				n++
			}
		}
		switch {
		case n > 9:
			row[k] = cell{r: '+', t: common.ToneSubtle}
		case n > 0:
			row[k] = cell{r: rune('0' + n), t: common.ToneSubtle}
		}
	}
	for _, r := range t.Results {
		at := r.End - t.Begin - from
		if r.Outcome != timeline.Cancelled || at < 0 || at > span || r.End-t.Begin > upTo {
			continue
		}
		k := min(int(float64(at)/float64(span)*float64(cols)), cols-1)
		row[k] = cell{r: glyphResultCancelled, t: common.ToneSubtle}
	}
	return p.row(queueLabel, labelW, row)
}

// queueLegend says how to read the queue lane.
func queueLegend() string {
	return "queue: futures waiting to start (" + string(glyphResultCancelled) + " cancelled)"
}
