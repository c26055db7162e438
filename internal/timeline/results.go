package timeline

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Outcome is how a task ended, as a concurrent.futures Future reports it.
type Outcome uint8

const (
	Done      Outcome = iota + 1 // ran to the end: result() returns its value
	Failed                       // raised: result() raises the worker's exception
	Cancelled                    // cancelled while queued: it never started
)

var outcomeNames = [...]string{Done: "done", Failed: "failed", Cancelled: "cancelled"}

func (o Outcome) String() string {
	if o >= Done && o <= Cancelled {
		return outcomeNames[o]
	}
	return "unknown"
}

// ParseOutcome is the inverse of Outcome.String.
func ParseOutcome(name string) (Outcome, bool) {
	for o := Done; o <= Cancelled; o++ {
		if outcomeNames[o] == name {
			return o, true
		}
	}
	return 0, false
}

// Result is one task's life: when it was submitted, started and finished, and how it
// ended. Times are CLOCK_MONOTONIC ns, as events'; a cancelled task has Start 0.
type Result struct {
	Task    int32
	Outcome Outcome
	Submit  int64
	Start   int64
	End     int64
}

// results is the Recorder's list of finished tasks, in the order they finished:
// as_completed's order. It only grows, so a snapshot keeps its slice header.
type results struct {
	mu      sync.Mutex
	list    []Result
	counter []CounterSample // the shared counter as it grew (counter.go)

	counterExpected atomic.Int64
	counterFinal    atomic.Int64
}

// Finished records that a task ended. Engines call it once per task, when its result
// (or exception, or cancellation) is known to the caller's side of the pool.
func (r *Recorder) Finished(res Result) {
	r.res.mu.Lock()
	r.res.list = append(r.res.list, res)
	r.res.mu.Unlock()
}

// AddIncrements counts n increments the tasks made (or meant to make) of the run's
// shared counter: what the counter would read if no update were lost.
func (r *Recorder) AddIncrements(n int64) { r.res.counterExpected.Add(n) }

// SetCounter records what the run's shared counter read when the run ended.
func (r *Recorder) SetCounter(final int64) { r.res.counterFinal.Store(final) }

// snapshotResults fills t's results and counter from the recorder.
func (r *Recorder) snapshotResults(t *Trace) {
	r.res.mu.Lock()
	t.Results = r.res.list[:len(r.res.list):len(r.res.list)]
	t.Counter = r.res.counter[:len(r.res.counter):len(r.res.counter)]
	r.res.mu.Unlock()
	t.CounterExpected = r.res.counterExpected.Load()
	t.CounterFinal = r.res.counterFinal.Load()
}

// Outcomes counts the trace's failed and cancelled tasks and lists the task indices in
// the order they finished (every outcome, cancelled ones included: a cancelled future
// is done too).
func (t *Trace) Outcomes() (failed, cancelled int64, order []int32) {
	order = make([]int32, 0, len(t.Results))
	for _, res := range t.Results {
		switch res.Outcome {
		case Failed:
			failed++
		case Cancelled:
			cancelled++
		}
		order = append(order, res.Task)
	}
	return failed, cancelled, order
}

// firstRun is the first task to finish running, done or failed: the first result (or
// exception) as_completed yields that a task computed. -1 when none ran.
func (t *Trace) firstRun() int32 {
	for _, r := range t.Results {
		if r.Outcome != Cancelled {
			return r.Task
		}
	}
	return -1
}

// Unaccounted says, as an error, which of the planned tasks a finished run never
// accounted for (done, failed or cancelled); nil when every one was. A run that loses
// results (a driver flooding its record pipe) must not pass for a complete one.
func (t *Trace) Unaccounted() error {
	planned := int64(t.Meta.Tasks)
	if t.TasksDone >= planned {
		return nil
	}
	msg := fmt.Sprintf("the run ended with %d of its %d tasks accounted for (done, failed or cancelled): %d never reported back",
		t.TasksDone, planned, planned-t.TasksDone)
	if len(t.Results) > 0 {
		seen := make([]bool, planned)
		for _, r := range t.Results {
			if r.Task >= 0 && int64(r.Task) < planned {
				seen[r.Task] = true
			}
		}
		var missing []string
		for i, ok := range seen {
			if !ok {
				if len(missing) == 5 {
					missing = append(missing, "…")
					break
				}
				missing = append(missing, strconv.Itoa(i+1))
			}
		}
		msg += " (task " + strings.Join(missing, ", ") + ")"
	}
	return errors.New(msg)
}

// firsts is firstRun and firstResults together.
func (t *Trace) firsts() (int32, float64, float64) {
	asCompleted, mapFirst := t.firstResults()
	return t.firstRun(), asCompleted, mapFirst
}

// firstResults is when, in seconds after the run began, as_completed yields its first
// computed result (the first task to end running, done or failed) and map its first
// (task 0's end, whatever it took); 0 for one that never came.
func (t *Trace) firstResults() (asCompleted, mapFirst float64) {
	for _, r := range t.Results {
		if r.Outcome != Cancelled && asCompleted == 0 {
			asCompleted = float64(r.End-t.Begin) / 1e9
		}
		if r.Task == 0 {
			mapFirst = float64(r.End-t.Begin) / 1e9
		}
	}
	return asCompleted, mapFirst
}
