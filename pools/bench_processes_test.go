package pools

import (
	"context"
	"fmt"
	"testing"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// benchProcesses runs spec once per iteration and reports the wall time per task.
// Starting the workers is part of each run; with thousands of tasks it is a rounding
// error in the figure per task.
func benchProcesses(b *testing.B, spec experiment.Spec) {
	spec.Model = experiment.Processes
	if err := spec.Validate(); err != nil {
		b.Fatal(err)
	}
	CurrentCalibration()
	n := spec.Tasks.Count()
	var runs int
	var ipc int64
	for b.Loop() {
		rec := timeline.NewRecorder(spec.Meta())
		if err := runProcesses(context.Background(), spec, rec); err != nil {
			b.Fatal(err)
		}
		tr := rec.Snapshot()
		if tr.TasksDone != int64(n) {
			b.Fatalf("%d of %d tasks done", tr.TasksDone, n)
		}
		ipc += tr.IPCBytes
		runs++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(runs*n), "ns/task")
	b.ReportMetric(float64(ipc)/float64(runs*n), "ipc-B/task")
}

// BenchmarkProcessesTaskOverhead is the cost per trivial task of 2 worker processes:
// encoding, pipes, the worker's events. Target at chunk size 1: at most 15 µs
// (CPython's ProcessPoolExecutor takes ~150 µs on this machine).
func BenchmarkProcessesTaskOverhead(b *testing.B) {
	tasks, err := experiment.ParseTasks("20000*cpu(0us)")
	if err != nil {
		b.Fatal(err)
	}
	for _, chunk := range []int{1, 100} {
		b.Run(fmt.Sprintf("chunk=%d", chunk), func(b *testing.B) {
			benchProcesses(b, experiment.Spec{Workers: 2, ChunkSize: chunk, Tasks: tasks})
		})
	}
	b.Run("fresh", func(b *testing.B) {
		few, _ := experiment.ParseTasks("50*cpu(0us)")
		benchProcesses(b, experiment.Spec{Workers: 2, Fresh: true, Tasks: few})
	})
}

// BenchmarkProcessesPayloadRoundTrip sends a payload to one worker and back per task
// (CPython: 1 KB ~272 µs, 10 MB ~47 ms through ProcessPoolExecutor here).
func BenchmarkProcessesPayloadRoundTrip(b *testing.B) {
	for _, c := range []struct{ name, tasks string }{
		{"1KB", "2000*cpu(0us) in=1KB out=1KB"},
		{"10MB", "20*cpu(0us) in=10MB out=10MB"},
	} {
		b.Run(c.name, func(b *testing.B) {
			tasks, err := experiment.ParseTasks(c.tasks)
			if err != nil {
				b.Fatal(err)
			}
			benchProcesses(b, experiment.Spec{Workers: 1, ChunkSize: 1, Tasks: tasks})
		})
	}
}
