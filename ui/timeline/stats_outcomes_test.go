package timeline

import (
	"strings"
	"testing"

	"github.com/coreography/coreography/internal/timeline"
)

func TestOutcomeAndCounterRows(t *testing.T) {
	s := timeline.Stats{Outcomes: timeline.Outcomes{TasksFailed: 1, TasksCancelled: 2,
		CompletionOrder: []int32{4, 0, 1, 2, 3, 5}, CounterExpected: 2000, CounterFinal: 1500}}
	s.Tasks = 60 // too many for the finish order row: outcomes says which came first
	if got, want := outcomes(s), "1 failed · 2 cancelled · first done: 4 0 1 2 3 …"; got != want {
		t.Errorf("outcomes = %q, want %q", got, want)
	}
	s.Tasks = 6 // the finish order row lists them: outcomes does not repeat it
	if got, want := outcomes(s), "1 failed · 2 cancelled"; got != want {
		t.Errorf("outcomes = %q, want %q", got, want)
	}
	if got, want := counter(s), "1500 of 2000 (500 lost, 25.0%)"; got != want {
		t.Errorf("counter = %q, want %q", got, want)
	}
	procs := timeline.Stats{Meta: timeline.Meta{Model: "py-processes"}, Outcomes: timeline.Outcomes{CounterExpected: 2000}}
	if got, want := counter(procs), "0 of 2000 (each worker process counted its own copy)"; got != want {
		t.Errorf("processes' private counters: counter = %q, want %q", got, want)
	}
	s.CounterFinal = 2000
	if got, want := counter(s), "2000 of 2000"; got != want {
		t.Errorf("counter = %q, want %q", got, want)
	}
}

// Tasks that finish out of the order they were submitted in show their finishing
// order in the stats; in order, or too many to read, they do not.
func TestFinishOrderRow(t *testing.T) {
	mk := func(tasks int, order ...int32) timeline.Stats {
		var s timeline.Stats
		s.Tasks, s.CompletionOrder = tasks, order
		return s
	}
	out := packStats(mk(3, 2, 0, 1), 200, plainPainter)
	if !strings.Contains(out, "finish order 2 0 1") {
		t.Errorf("out of order, not shown:\n%s", out)
	}
	if out := packStats(mk(3, 0, 1, 2), 200, plainPainter); strings.Contains(out, "finish order") {
		t.Errorf("in order, yet shown:\n%s", out)
	}
	many := make([]int32, 60)
	for i := range many {
		many[i] = int32(59 - i)
	}
	if out := packStats(mk(60, many...), 200, plainPainter); strings.Contains(out, "finish order") {
		t.Errorf("60 tasks, yet shown:\n%s", out)
	}
	if got := finishOrder(mk(30, many[:30]...)); !strings.HasSuffix(got, " …") || strings.Count(got, " ") != 20 {
		t.Errorf("finishOrder of 30 = %q, want the first 20 and …", got)
	}
}
