package ui

import (
	"context"
	"testing"

	"github.com/coreography/coreography/experiment"
	"github.com/coreography/coreography/timeline"
)

// A lane is made before its first event (a thread the sampler has just found), so a
// live frame can see it empty; reading worker threads from it must not panic.
func TestWorkerThreadsOfAnEmptyLane(t *testing.T) {
	rec := timeline.NewRecorder(timeline.Meta{Model: "py-threads", Workers: 1})
	rec.Lane("T1")
	if tids := workerThreads([]*timeline.Trace{rec.Snapshot()}); len(tids) != 0 {
		t.Fatalf("an empty lane gave worker threads %v", tids)
	}
}

// TestSimulatedRunIsNotMeasured: the app's CPU share is a real run's observer cost; a
// simulated run has no workers to take cores from and is computed by the app in an
// instant, so the panel shows no figure for it, and the lab's --json reports -1.
func TestSimulatedRunIsNotMeasured(t *testing.T) {
	tasks, err := experiment.ParseTasks("4*cpu(10ms)")
	if err != nil {
		t.Fatal(err)
	}
	_, canMeasure := newObserverMeter().read(nil)
	for _, simulated := range []bool{false, true} {
		spec := experiment.Spec{Model: experiment.Threads, Workers: 2, Tasks: tasks, Sim: simulated}
		r, err := MeasureLive(context.Background(), &fakeRunner{}, spec, 100, 30)
		if err != nil {
			t.Fatal(err)
		}
		if measured := r.ObserverShare >= 0; measured != (canMeasure && !simulated) {
			t.Errorf("sim %v: observer share %v, want it measured only for a real run", simulated, r.ObserverShare)
		}
	}
}
