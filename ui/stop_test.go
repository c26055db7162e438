package ui

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/experiment"
	"github.com/coreography/coreography/timeline"
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
// Shutdown's, after the program.
func TestUpdateNeverWaitsForAnEngine(t *testing.T) {
	for _, keys := range [][]string{{"r"}, {"esc"}, {"q"}} {
		t.Run(keys[0], func(t *testing.T) {
			run := &stubbornRunner{started: make(chan struct{}, 4), release: make(chan struct{})}
			cat, prog := testCatalog(t)
			spec := experiment.Spec{Model: experiment.Threads, Workers: 2, Tasks: mustTasks(t, "4*cpu(10ms)")}
			app := NewApp(AppOptions{Runner: run, Catalog: cat, Progress: prog, Lab: true, LabSpec: spec})
			app.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
			app.Update(keyPress("r"))
			<-run.started
			start := time.Now()
			app.Update(keyPress(keys[0]))
			if took := time.Since(start); took > updateBound {
				t.Errorf("%q with a run stopping took %v in Update, more than %v", keys[0], took, updateBound)
			}
			close(run.release)
			if !app.Shutdown() {
				t.Fatal("Shutdown: the engines did not return")
			}
			if run.cancelled.Load() < 1 {
				t.Error("the stopped run was never cancelled")
			}
		})
	}
}
