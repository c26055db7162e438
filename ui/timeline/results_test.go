package timeline

import (
	"strings"
	"testing"

	"github.com/coreography/coreography/internal/timeline"
)

// resultsTrace is three tasks finishing out of order, the second one failed, and a
// fourth cancelled: as_completed's order with every outcome.
func resultsTrace() *timeline.Trace {
	ms := int64(1_000_000)
	t := &timeline.Trace{Begin: 0, End: 100 * ms}
	t.Results = []timeline.Result{
		{Task: 1, Outcome: timeline.Failed, Start: 1, End: 20 * ms},
		{Task: 3, Outcome: timeline.Cancelled, End: 30 * ms},
		{Task: 2, Outcome: timeline.Done, Start: 1, End: 60 * ms},
		{Task: 0, Outcome: timeline.Done, Start: 1, End: 99 * ms},
	}
	return t
}

func TestResultsLaneMarksWhereEachTaskEnded(t *testing.T) {
	tr := resultsTrace()
	if !showsResults(tr) {
		t.Fatal("a failed, a cancelled and out-of-order tasks are not worth a results lane")
	}
	p := newPainter(nil)
	row := p.resultsRow(tr, 0, tr.End-tr.Begin, tr.End-tr.Begin, 8, 10)
	want := "results    ✗⊘  •  •" // cells 2, 3, 6 and 9 of 10
	if strings.TrimRight(row, " ") != strings.TrimRight(want, " ") {
		t.Fatalf("results lane\n%q, want\n%q", row, want)
	}
	// A replay at 50 ms has not come to the last two ends yet.
	row = p.resultsRow(tr, 0, tr.End-tr.Begin, 50_000_000, 8, 10)
	if want := "results    ✗⊘"; strings.TrimRight(row, " ") != want {
		t.Fatalf("results lane replayed to 50 ms\n%q, want\n%q", row, want)
	}
	if got := inflightCells(tr, 0, tr.End-tr.Begin, 50_000_000, 10); got[4] != 2 || got[5] != 0 {
		t.Fatalf("tasks under way replayed to 50 ms: %v, want tasks 0 and 2 counted to 50 ms and none after", got)
	}
	inOrder := &timeline.Trace{End: 10, Results: []timeline.Result{{Task: 0, Outcome: timeline.Done, End: 5}, {Task: 1, Outcome: timeline.Done, End: 9}}}
	if showsResults(inOrder) {
		t.Fatal("tasks that all finished in order were given a results lane")
	}
}
