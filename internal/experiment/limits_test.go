package experiment

import (
	"math"
	"strings"
	"testing"
)

// Every limit of limits.go refuses a spec before it runs, with a message naming it.
func TestLimitsRefuseBeforeRunning(t *testing.T) {
	steps5000 := "[" + strings.Repeat("cpu(1ns) ", 5000) + "]"
	for _, c := range []struct {
		model, tasks string
		workers      int
		want         string
	}{
		{"threads", "100000*" + steps5000, 0, "steps in all is more than the limit of 1000000"},
		{"threads", "100000*cpu(60s)", 0, "of planned work is more than"},
		// 100000 × 1538 × cpu(60s) wraps an int64 of nanoseconds: the sum must saturate.
		{"threads", "100000*[" + strings.Repeat("cpu(60s) ", 1538) + "]", 0, "more than 1000h of planned work"},
		{"processes", "100000*cpu(0ns) in=64MB", 2, "of payload in all is more than the 4GB limit"},
		{"processes", "8*cpu(1ms) in=64MB out=64MB", 4, "payloads would hold about"},
		{"processes", "8*cpu(1ms) in=256MB", 2, "more than the 64MB limit"},
	} {
		ts, err := ParseTasks(c.tasks)
		if err == nil {
			err = Spec{Model: Model(c.model), Workers: c.workers, Tasks: ts}.Validate()
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %.60s…: err = %v, want %q", c.model, c.tasks, err, c.want)
		}
	}
}

func TestSumsSaturate(t *testing.T) {
	ts := Tasks{Groups: []Group{
		{Count: MaxTasks, Task: Task{Steps: []Step{{Kind: CPU, D: math.MaxInt64 / 2}, {Kind: CPU, D: math.MaxInt64 / 2}, {Kind: CPU, D: 5}}}},
		{Count: MaxTasks, Task: Task{Steps: []Step{{Kind: IO, D: math.MaxInt64}}, In: math.MaxInt64}},
	}}
	if w := ts.Work(); w != math.MaxInt64 {
		t.Errorf("Work = %d, want saturated", w)
	}
	if w := ts.WorkOf(CPU); w != math.MaxInt64 {
		t.Errorf("WorkOf(CPU) = %d, want saturated", w)
	}
	if p := (Spec{Model: Asyncio, Tasks: ts}).PlannedWork(); p < 0 {
		t.Errorf("PlannedWork = %d, wrapped negative", p)
	}
	if b := ts.PayloadBytes(); b != math.MaxInt64 {
		t.Errorf("PayloadBytes = %d, want saturated", b)
	}
}

// The limits leave room for what the lessons run: 10 MB payloads on the machine's
// workers, 10000 small tasks.
func TestLimitsFitLessons(t *testing.T) {
	for _, c := range []struct {
		model, tasks string
		workers      int
	}{
		{"processes", "16*cpu(10ms) in=10MB out=1KB", 4},
		{"processes", "10000*cpu(2us)", 8},
		{"asyncio", "10000*io(50ms)", 0},
		{"threads", "10000*[cpu(1us) io(1us) cpu(1us) io(1us) cpu(1us) io(1us) cpu(1us) io(1us) cpu(1us) io(1us)]", 0},
	} {
		ts, err := ParseTasks(c.tasks)
		if err == nil {
			err = Spec{Model: Model(c.model), Workers: c.workers, Tasks: ts}.Validate()
		}
		if err != nil {
			t.Errorf("%s %s: %v", c.model, c.tasks, err)
		}
	}
}
