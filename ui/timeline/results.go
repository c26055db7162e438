package timeline

import (
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
)

// This file draws the results lane: a mark where each task ended, so the order the
// futures completed in (as_completed's order) and the tasks that failed or were
// cancelled can be seen, not only counted.

const (
	resultsLabel = "results"
	// maxResultsDrawn is the most tasks whose ends are marked one by one: past it the
	// marks would merge into a bar that says nothing the in-flight lane does not.
	maxResultsDrawn = 50
)

// Marks of the results lane, by outcome.
const (
	glyphResultDone      = '•'
	glyphResultFailed    = '✗'
	glyphResultCancelled = '⊘'
)

// showsResults reports whether t's results are worth a lane: few enough tasks to
// mark one by one, and something the other lanes do not show, a task that failed or
// was cancelled, or tasks that finished out of submission order.
func showsResults(t *timeline.Trace) bool {
	if len(t.Results) == 0 || len(t.Results) > maxResultsDrawn {
		return false
	}
	highest := int32(-1)
	for _, r := range t.Results {
		if r.Outcome != timeline.Done || r.Task < highest {
			return true
		}
		highest = max(highest, r.Task)
	}
	return false
}

// resultsRow marks where each of t's tasks ended within [from, to) ns of its begin,
// and by upTo (a replay's playhead).
func (p *painter) resultsRow(t *timeline.Trace, from, to, upTo int64, labelW, cols int) string {
	row := blankRow(cols)
	span := to - from
	if span <= 0 {
		return p.row(resultsLabel, labelW, row)
	}
	resultAt := make([]timeline.Outcome, cols)
	for _, r := range t.Results {
		k, ok := endCell(t, r, from, to, upTo, cols)
		if !ok {
			continue
		}
		if severity(r.Outcome) > severity(resultAt[k]) { // a cell holding several shows the worst
			resultAt[k] = r.Outcome
		}
	}
	for k, o := range resultAt {
		switch o {
		case timeline.Done:
			row[k] = cell{r: glyphResultDone, t: common.StateTone(timeline.Running)}
		case timeline.Failed:
			row[k] = cell{r: glyphResultFailed, t: common.ToneError}
		case timeline.Cancelled:
			row[k] = cell{r: glyphResultCancelled, t: common.ToneSubtle}
		}
	}
	return p.row(resultsLabel, labelW, row)
}

// endCell is the cell, of cols over [from, to) ns of t's begin, in which r ended;
// false when it ended outside them or after upTo.
func endCell(t *timeline.Trace, r timeline.Result, from, to, upTo int64, cols int) (int, bool) {
	span, at := to-from, r.End-t.Begin-from
	if at < 0 || at > span || r.End-t.Begin > upTo {
		return 0, false
	}
	return min(int(float64(at)/float64(span)*float64(cols)), cols-1), true
}

// severity orders outcomes for a cell that holds several: a failure must not hide.
func severity(o timeline.Outcome) int {
	switch o {
	case timeline.Failed:
		return 3
	case timeline.Cancelled:
		return 2
	case timeline.Done:
		return 1
	}
	return 0
}

// resultsLegend says how to read the results lane.
func resultsLegend() string {
	return "results: " + string(glyphResultDone) + " done " + string(glyphResultFailed) + " failed " +
		string(glyphResultCancelled) + " cancelled, where each task ended"
}
