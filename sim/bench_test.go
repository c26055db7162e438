package sim

import (
	"context"
	"testing"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// benchRun simulates spec b.N times and reports the simulator's events per second,
// measured on the one goroutine the simulator runs on.
func benchRun(b *testing.B, spec experiment.Spec, notation string) {
	tasks, err := experiment.ParseTasks(notation)
	if err != nil {
		b.Fatal(err)
	}
	spec.Tasks, spec.Sim, spec.Profile = tasks, true, "cpython"
	r := New(nil)
	var events int64
	b.ReportAllocs()
	cpu0 := processCPU()
	for b.Loop() {
		rec := timeline.NewRecorder(spec.Meta())
		if err := r.Run(context.Background(), spec, rec); err != nil {
			b.Fatal(err)
		}
		events += r.Events()
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	if cpu := processCPU() - cpu0; cpu > 0 {
		b.ReportMetric(float64(events)/cpu, "events/cpu-s")
	}
	b.ReportMetric(float64(events)/float64(b.N), "events/op")
}

// Benchmark64Cores100kTasks is the yardstick: 64 cores, 100,000 tasks.
func Benchmark64Cores100kTasks(b *testing.B) {
	b.Run("threads", func(b *testing.B) {
		benchRun(b, experiment.Spec{Model: experiment.Threads, Workers: 64, Cores: 64}, "100000*cpu(500us)")
	})
	b.Run("processes", func(b *testing.B) {
		benchRun(b, experiment.Spec{Model: experiment.Processes, Workers: 64, Cores: 64}, "100000*cpu(500us)")
	})
	b.Run("gil", func(b *testing.B) {
		benchRun(b, experiment.Spec{Model: experiment.GIL, Workers: 64, Cores: 64}, "100000*[cpu(200us) io(1ms)]")
	})
}

// BenchmarkTimeSlicing keeps the run queue busy: 256 threads on 8 cores.
func BenchmarkTimeSlicing(b *testing.B) {
	benchRun(b, experiment.Spec{Model: experiment.Threads, Workers: 256, Cores: 8}, "512*cpu(50ms)")
}
