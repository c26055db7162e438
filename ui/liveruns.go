package ui

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// liveRuns wraps the app's Runner so the app knows every run still going, whichever
// screen started it: quitting cancels them all, and once the program has ended Wait
// waits until each engine's Run has returned (its workers and processes are gone).
type liveRuns struct {
	inner experiment.Runner

	mu      sync.Mutex
	cancels map[int]context.CancelFunc
	next    int
	closed  bool
	done    sync.WaitGroup
}

var errShuttingDown = errors.New("the app is quitting; the run was not started")

func newLiveRuns(inner experiment.Runner) *liveRuns {
	return &liveRuns{inner: inner, cancels: map[int]context.CancelFunc{}}
}

// Run runs spec with the wrapped Runner under a context CancelAll can cancel.
func (r *liveRuns) Run(ctx context.Context, spec experiment.Spec, rec *timeline.Recorder) error {
	if r.inner == nil {
		return errors.New("no engine to run experiments with")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return errShuttingDown
	}
	id := r.next
	r.next++
	r.cancels[id] = cancel
	r.done.Add(1)
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		delete(r.cancels, id)
		r.mu.Unlock()
		r.done.Done()
	}()
	return r.inner.Run(ctx, spec, rec)
}

// Live reports how many runs are going.
func (r *liveRuns) Live() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.cancels)
}

// CancelAll cancels every live run and refuses new ones; it does not wait.
func (r *liveRuns) CancelAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	for _, cancel := range r.cancels {
		cancel()
	}
}

// Wait cancels every live run, refuses new ones, and waits up to timeout for the
// engines to return. It reports whether they all did. It is the only wait for
// engines in the app, made once the program has ended.
func (r *liveRuns) Wait(timeout time.Duration) bool {
	r.CancelAll()
	finished := make(chan struct{})
	go func() {
		r.done.Wait()
		close(finished)
	}()
	select {
	case <-finished:
		return true
	case <-time.After(timeout):
		return false
	}
}
