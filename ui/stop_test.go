package ui

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// stubbornRunner is an engine slow to stop: cancelled, it goes on until released, as
// a worker stuck in a system call would.
type stubbornRunner struct {
	started   chan struct{} // one send per run begun
	release   chan struct{}
	cancelled atomic.Int32 // runs that saw their context cancelled
}

func (r *stubbornRunner) Run(ctx context.Context, spec experiment.Spec, rec *timeline.Recorder) error {
	rec.Begin(timeline.Now())
	r.started <- struct{}{}
	<-r.release
	if ctx.Err() != nil {
		r.cancelled.Add(1)
	}
	return ctx.Err()
}

// updateBound is how long an Update may take: a millisecond, or under the race
// detector, which slows drawing the screen several times over, 20. A wait for the
// stubborn engine would block until the test released it, far longer.
var updateBound = map[bool]time.Duration{false: time.Millisecond, true: 20 * time.Millisecond}[raceDetector]

// TestUpdateNeverWaitsForAnEngine: re-running, leaving the lab and quitting while a
// run will not stop each return from Update within a millisecond; the one wait is
// Shutdown's, after the program. The best of a few tries counts, so a busy machine
// that preempts the test is not mistaken for a wait: a wait would hold every try
// until the engine is released.
func TestUpdateNeverWaitsForAnEngine(t *testing.T) {
	for _, k := range []string{"r", "esc", "q"} {
		t.Run(k, func(t *testing.T) {
			best := time.Hour
			for range 5 {
				best = min(best, stopWhileStuck(t, k))
			}
			if best > updateBound {
				t.Errorf("%q with a run stopping took %v in Update at best, more than %v", k, best, updateBound)
			}
		})
	}
}

// stopWhileStuck opens the lab, starts a run that will not stop, presses k and says
// how long that Update took; then it releases the engine and checks that Shutdown
// waited for it and that the run was cancelled.
func stopWhileStuck(t *testing.T, k string) time.Duration {
	t.Helper()
	run := &stubbornRunner{started: make(chan struct{}, 4), release: make(chan struct{})}
	cat, prog := testCatalog(t)
	spec := experiment.Spec{Model: experiment.Threads, Workers: 2, Tasks: uitest.Tasks(t, "4*cpu(10ms)")}
	app := NewApp(AppOptions{Runner: run, Catalog: cat, Progress: prog, Lab: true, LabSpec: spec})
	app.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	app.Update(uitest.Key("r"))
	<-run.started
	start := time.Now()
	app.Update(uitest.Key(k))
	took := time.Since(start)
	close(run.release)
	if !app.Shutdown() {
		t.Fatal("Shutdown: the engines did not return")
	}
	if run.cancelled.Load() < 1 {
		t.Error("the stopped run was never cancelled")
	}
	return took
}
