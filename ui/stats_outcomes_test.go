package ui

import (
	"testing"

	"github.com/coreography/coreography/timeline"
)

func TestOutcomeAndCounterRows(t *testing.T) {
	s := timeline.Stats{Outcomes: timeline.Outcomes{TasksFailed: 1, TasksCancelled: 2,
		CompletionOrder: []int32{4, 0, 1, 2, 3, 5}, CounterExpected: 2000, CounterFinal: 1500}}
	if got, want := outcomes(s), "1 failed · 2 cancelled · first done: 4 0 1 2 3 …"; got != want {
		t.Errorf("outcomes = %q, want %q", got, want)
	}
	if got, want := counter(s), "1500 of 2000 (500 lost, 25.0%)"; got != want {
		t.Errorf("counter = %q, want %q", got, want)
	}
	s.CounterFinal = 2000
	if got, want := counter(s), "2000 of 2000"; got != want {
		t.Errorf("counter = %q, want %q", got, want)
	}
}
