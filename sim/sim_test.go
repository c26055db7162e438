package sim

import (
	"context"
	"testing"
	"time"

	"github.com/coreography/coreography/experiment"
	"github.com/coreography/coreography/timeline"
)

func simulate(t testing.TB, spec experiment.Spec, notation string) timeline.Stats {
	t.Helper()
	tasks, err := experiment.ParseTasks(notation)
	if err != nil {
		t.Fatal(err)
	}
	spec.Tasks, spec.Sim = tasks, true
	if spec.Profile == "" {
		spec.Profile = "cpython"
	}
	rec := timeline.NewRecorder(spec.Meta())
	if err := New(nil).Run(context.Background(), spec, rec); err != nil {
		t.Fatalf("%v: %v", spec, err)
	}
	return timeline.Compute(rec.Snapshot())
}

func TestQuick(t *testing.T) {
	for _, c := range []struct {
		spec experiment.Spec
		n    string
	}{
		{experiment.Spec{Model: experiment.Serial}, "8*cpu(100ms)"},
		{experiment.Spec{Model: experiment.Threads, Workers: 2, Cores: 2}, "8*cpu(100ms)"},
		{experiment.Spec{Model: experiment.Threads, Workers: 2, Cores: 1}, "8*cpu(100ms)"},
		{experiment.Spec{Model: experiment.GIL, Workers: 2, Cores: 2}, "8*cpu(100ms)"},
		{experiment.Spec{Model: experiment.GIL, Workers: 2, Cores: 2, SwitchInterval: time.Millisecond}, "8*cpu(100ms)"},
		{experiment.Spec{Model: experiment.GIL, Workers: 2, Cores: 2}, "cpu(300ms), 30*[io(5ms) cpu(100us)]"},
		{experiment.Spec{Model: experiment.GIL, Workers: 10, Cores: 2}, "50*http(50ms)"},
		{experiment.Spec{Model: experiment.Processes, Workers: 2, Cores: 2, ChunkSize: 1}, "10000*cpu(10us)"},
		{experiment.Spec{Model: experiment.Processes, Workers: 2, Cores: 2, ChunkSize: 100}, "10000*cpu(10us)"},
		{experiment.Spec{Model: experiment.Processes, Workers: 64, Cores: 64}, "1000*cpu(10ms)"},
		{experiment.Spec{Model: experiment.Processes, Workers: 4, Cores: 4, Fresh: true}, "cpu(20ms) then 8*cpu(10ms)"},
		{experiment.Spec{Model: experiment.Asyncio}, "10000*io(50ms)"},
		{experiment.Spec{Model: experiment.Processes, Workers: 16, Cores: 16}, "cpu(200ms) then 16*cpu(100ms)"},
	} {
		s := simulate(t, c.spec, c.n)
		t.Logf("%-40v wall %.3fs par %.2f gil/s %.0f done %d", c.spec, s.Wall.Seconds(), s.Parallelism, s.GILSwitchesPerS, s.TasksDone)
	}
}
