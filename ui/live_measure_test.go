package ui

import (
	"context"
	"runtime"
	"testing"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// TestSimulatedRunIsNotMeasured: the app's CPU share is a real run's observer cost; a
// simulated run has no workers to take cores from and is computed by the app in an
// instant, so the panel shows no figure for it, and the lab's --json reports -1.
func TestSimulatedRunIsNotMeasured(t *testing.T) {
	tasks, err := experiment.ParseTasks("4*cpu(10ms)")
	if err != nil {
		t.Fatal(err)
	}
	canMeasure := runtime.GOOS == "linux" // elsewhere it may or may not be
	for _, simulated := range []bool{false, true} {
		spec := experiment.Spec{Model: experiment.Threads, Workers: 2, Tasks: tasks, Sim: simulated}
		r, err := MeasureLive(context.Background(), &uitest.Runner{}, spec, 100, 30)
		if err != nil {
			t.Fatal(err)
		}
		if measured := r.ObserverShare >= 0; measured && simulated || !measured && canMeasure && !simulated {
			t.Errorf("sim %v: observer share %v, want it measured only for a real run", simulated, r.ObserverShare)
		}
	}
}
