package cli

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/pools"
	"github.com/coreography/coreography/ui"
)

// The benchmarks of issue 13's table, one per row, with the targets beside them:
//
//	the app's own CPU while lab animates a 2-worker run:  BenchmarkObserverCPU  ≤ 3 %core, 30 fps
//	--trace of a 100,000-task threads run:                BenchmarkTraceExport  ≤ 20 MB more, ≥ 100 MB/s
//	replay of that trace, to its first frame:             ui.BenchmarkReplayFirstFrame ≤ 0.3 s, ≤ 80 MB
//	time to the first frame of coreography:               ui.BenchmarkHomeFirstFrame  ≤ 100 ms
//
// go test -run XXX -bench 'ObserverCPU|TraceExport' -benchtime 1x .

// BenchmarkObserverCPU runs lab --json's live run for each model: a 2-worker run of
// 16*cpu(150ms) (asyncio: its one loop) in the lab, off-screen at 30 fps, by a real Bubble
// Tea program, and reports the observer's CPU (this process's non-worker threads, by
// their own CPU clocks) as a percentage of one core, and the frame rate.
func BenchmarkObserverCPU(b *testing.B) {
	tasks, err := experiment.ParseTasks("16*cpu(150ms)")
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range []experiment.Model{experiment.Threads, experiment.GIL, experiment.Asyncio, experiment.Processes} {
		b.Run(string(m), func(b *testing.B) {
			spec := experiment.Spec{Model: m, Workers: 2, Tasks: tasks}
			if m.OneWorker() {
				spec.Workers = 1
			}
			var share, fps, shown float64
			for b.Loop() {
				rep, err := ui.MeasureLive(context.Background(), pools.NewDrawn(), spec, 100, 30)
				if err != nil {
					b.Fatal(err)
				}
				share, fps = max(share, rep.ObserverShare), rep.FPS()
				shown = float64(rep.Shown) / float64(max(rep.Frames, 1))
			}
			b.ReportMetric(100*share, "%core")
			b.ReportMetric(fps, "fps")
			b.ReportMetric(shown, "shown/frame") // 1: every frame reached the screen once
		})
	}
}

// BenchmarkTraceExport records run --model threads --workers 2 --tasks
// '100000*cpu(1us)' and writes it with --trace's streaming writer to a file:
// write-MB/s (target ≥ 100) and what the export allocates on top of the run
// (export-MB: the bound on what --trace adds to the peak; target ≤ 20).
func BenchmarkTraceExport(b *testing.B) {
	tasks, err := experiment.ParseTasks("100000*cpu(1us)")
	if err != nil {
		b.Fatal(err)
	}
	rec := timeline.NewRecorder(experiment.Spec{Model: experiment.Threads, Workers: 2, Tasks: tasks}.Meta())
	if err := pools.New().Run(context.Background(), experiment.Spec{Model: experiment.Threads, Workers: 2, Tasks: tasks}, rec); err != nil {
		b.Fatal(err)
	}
	trace := rec.Snapshot()
	path := filepath.Join(b.TempDir(), "t.json")
	var size int64
	var alloc uint64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if err := writeTraceFile(path, trace); err != nil {
			b.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		alloc = max(alloc, after.TotalAlloc-before.TotalAlloc)
		st, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		size = st.Size()
	}
	b.SetBytes(size)
	b.ReportMetric(float64(alloc)/1e6, "export-MB")
}
