package timeline

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// outcomes says how many tasks failed or were cancelled, and which finished first
// (unless the finish order row lists them all).
func outcomes(s timeline.Stats) string {
	var parts []string
	if s.TasksFailed > 0 {
		parts = append(parts, fmt.Sprintf("%d failed", s.TasksFailed))
	}
	if s.TasksCancelled > 0 {
		parts = append(parts, fmt.Sprintf("%d cancelled", s.TasksCancelled))
	}
	if outOfOrder(s) {
		return strings.Join(parts, " · ") // the finish order row says it in full
	}
	return strings.Join(parts, " · ") + " · first done: " + firstDone(s.CompletionOrder, 5)
}

// firstDone lists the first n task indices in completion order.
func firstDone(order []int32, n int) string {
	var b strings.Builder
	for i, t := range order {
		if i == n {
			b.WriteString(" …")
			break
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.Itoa(int(t)))
	}
	return b.String()
}

// counter is the shared counter against what it would read had no update been lost.
func counter(s timeline.Stats) string {
	out := fmt.Sprintf("%d of %d", s.CounterFinal, s.CounterExpected)
	processes := s.Model == string(experiment.Processes) || s.Model == string(experiment.PyProcesses) || s.Model == string(experiment.PyPool)
	if s.CounterFinal == 0 && s.CounterExpected > 0 && processes {
		// Not lost: each worker process counted in its own copy, which the parent never sees.
		return out + " (each worker process counted its own copy)"
	}
	if lost := s.CounterExpected - s.CounterFinal; lost > 0 {
		out += fmt.Sprintf(" (%d lost, %.1f%%)", lost, 100*float64(lost)/float64(s.CounterExpected))
	}
	return out
}

// Completion order is shown for runs small enough to read it (up to
// maxOrderTasks tasks) and only when it differs from the order the tasks were
// submitted in: that is when as_completed and map part ways. Task numbers are
// indices from 0, as in first_done and `futures[i]`.
const (
	maxOrderTasks = 50
	maxOrderShown = 20
)

// outOfOrder reports whether a small run's tasks finished in another order than
// they were submitted.
func outOfOrder(s timeline.Stats) bool {
	if len(s.CompletionOrder) < 2 || s.Tasks > maxOrderTasks {
		return false
	}
	for i := 1; i < len(s.CompletionOrder); i++ {
		if s.CompletionOrder[i] < s.CompletionOrder[i-1] {
			return true
		}
	}
	return false
}

// finishOrder lists the tasks in the order they finished, the first maxOrderShown.
func finishOrder(s timeline.Stats) string { return firstDone(s.CompletionOrder, maxOrderShown) }
