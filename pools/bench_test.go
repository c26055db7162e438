package pools

import (
	"context"
	"runtime"
	"testing"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// overheadTasks is how many trivial tasks one benchmark iteration runs: enough that
// starting the pool's threads is a rounding error in the figure per task.
const overheadTasks = 20_000

// overheadCases are the pools whose cost per task BenchmarkTaskOverhead measures, on
// tasks that do no work, so what is left is the engine: queue, events, counters.
// Add a case per engine or option (processes: chunk sizes, fresh) to this table.
var overheadCases = []struct {
	name string
	spec experiment.Spec
}{
	{"serial", experiment.Spec{Model: experiment.Serial}},
	{"threads/1", experiment.Spec{Model: experiment.Threads, Workers: 1}},
	{"threads/2", experiment.Spec{Model: experiment.Threads, Workers: 2}},
	{"threads/8", experiment.Spec{Model: experiment.Threads, Workers: 8}},
	{"gil/2", experiment.Spec{Model: experiment.GIL, Workers: 2}},
	{"asyncio", experiment.Spec{Model: experiment.Asyncio}},
}

// BenchmarkTaskOverhead reports ns/task: wall time of a run of cpu(0us) tasks divided
// by the tasks. Target for threads: at most 1 µs.
func BenchmarkTaskOverhead(b *testing.B) {
	tasks, err := experiment.ParseTasks("20000*cpu(0us)")
	if err != nil {
		b.Fatal(err)
	}
	CurrentCalibration()
	for _, c := range overheadCases {
		b.Run(c.name, func(b *testing.B) {
			spec := c.spec
			spec.Tasks = tasks
			var runs int
			for b.Loop() {
				rec := timeline.NewRecorder(spec.Meta())
				if err := New().Run(context.Background(), spec, rec); err != nil {
					b.Fatal(err)
				}
				runs++
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(runs*overheadTasks), "ns/task")
		})
	}
}

// BenchmarkProbeEnter is the probe's cost of one state change, which every task pays
// at least once: the clock, and every sampleEvery its core and CPU clock. The sink
// discards, so a lane's growing slice is not part of the figure.
func BenchmarkProbeEnter(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	p := newProbe(discard{})
	var task int32
	for b.Loop() {
		p.enter(timeline.Running, task)
		task++
	}
}

// BenchmarkProbeTick is the probe's cost per slice of CPU work (every ~10 µs).
func BenchmarkProbeTick(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	p := newProbe(discard{})
	p.enter(timeline.Running, 0)
	for b.Loop() {
		p.tick()
	}
}
