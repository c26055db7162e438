package ui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/coreography/coreography/timeline"
)

// outcomes says how many tasks failed or were cancelled, and which finished first.
func outcomes(s timeline.Stats) string {
	var parts []string
	if s.TasksFailed > 0 {
		parts = append(parts, fmt.Sprintf("%d failed", s.TasksFailed))
	}
	if s.TasksCancelled > 0 {
		parts = append(parts, fmt.Sprintf("%d cancelled", s.TasksCancelled))
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
	if lost := s.CounterExpected - s.CounterFinal; lost > 0 {
		out += fmt.Sprintf(" (%d lost, %.1f%%)", lost, 100*float64(lost)/float64(s.CounterExpected))
	}
	return out
}
