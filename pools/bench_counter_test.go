package pools

import (
	"testing"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// BenchmarkIncrement is one increment of each kind on one thread, uncontended: what
// planned work counts per increment (incrementCosts measures the same loops).
func BenchmarkIncrement(b *testing.B) {
	for _, sync := range []experiment.Sync{experiment.Plain, experiment.Call, experiment.Lock, experiment.Shared} {
		name := sync.String()
		if name == "" {
			name = "plain"
		}
		b.Run(name, func(b *testing.B) {
			c, err := newCounter(experiment.Tasks{Groups: []experiment.Group{{Count: 1, Task: experiment.Task{Steps: []experiment.Step{{Kind: experiment.Add, N: 1, Sync: sync}}}}}}, false)
			if err != nil {
				b.Skip(err)
			}
			defer c.close()
			s := &stepper{p: newProbe(noLane{})}
			b.ResetTimer()
			s.add(c, experiment.Step{Kind: experiment.Add, N: int64(b.N), Sync: sync})
		})
	}
}

// BenchmarkAddProcesses is what sharing costs between processes: two worker processes
// each doing N increments at once, each of its own copy (plain, a Python global in a
// pool worker) or of one counter in shared memory behind a cross-process lock (shared,
// multiprocessing.Value). It reports the time per increment inside the tasks, from
// their recorded start and end, so worker start-up is left out.
func BenchmarkAddProcesses(b *testing.B) {
	for _, notation := range []string{"2*add(1000000)", "2*add(1000000, shared)"} {
		b.Run(notation, func(b *testing.B) {
			spec := experiment.Spec{Model: experiment.Processes, Workers: 2, ChunkSize: 1, Tasks: parse(b, notation)}
			var inTasks, increments int64
			for b.Loop() {
				rec := timeline.NewRecorder(spec.Meta())
				if err := New().Run(b.Context(), spec, rec); err != nil {
					b.Fatal(err)
				}
				tr := rec.Snapshot()
				for _, r := range tr.Results {
					inTasks += r.End - r.Start
				}
				increments += tr.CounterExpected
			}
			b.ReportMetric(float64(inTasks)/float64(increments), "ns/increment")
		})
	}
}
