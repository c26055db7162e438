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
	row := blankRow(cols)
	if to > from {
		markQueue(row, t, from, to, upTo)
	}
	return p.row(queueLabel, labelW, row)
}

// markQueue draws queueRow's marks on row, for a window [from, to) that is not empty.
func markQueue(row []cell, t *timeline.Trace, from, to, upTo int64) {
	span, cols := to-from, len(row)
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
		if k, ok := endCell(t, r, from, to, upTo, cols); ok && r.Outcome == timeline.Cancelled {
			row[k] = cell{r: glyphResultCancelled, t: common.ToneSubtle}
		}
	}
}

// queueLegend says how to read the queue lane.
func queueLegend() string {
	return "queue: futures waiting to start (" + string(glyphResultCancelled) + " cancelled)"
}
