package ui

import (
	"bytes"
	"path/filepath"
	"runtime"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/lessons"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// BenchmarkReplayFirstFrame is `replay t.json` of the trace (2 workers,
// 200,000 events) up to its first frame: the file decoded by streaming, the figures
// measured and the timeline drawn at 100×30. Target: 0.3 s. peak-heap-MB is the most
// heap the whole of it held (target for the app's RSS: 80 MB).
func BenchmarkReplayFirstFrame(b *testing.B) {
	var file bytes.Buffer
	if err := timeline.WriteChrome(&file, uitest.SyntheticTrace(2, 200_000)); err != nil {
		b.Fatal(err)
	}
	data := file.Bytes()
	b.SetBytes(int64(len(data)))
	var peak uint64
	cpu0 := uitest.ProcessCPUNow()
	for b.Loop() {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		t, err := timeline.ReadChrome(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		r := NewReplay(uitest.Common(nil), t)
		r.SetSize(100, 30)
		if r.View() == "" {
			b.Fatal("no frame")
		}
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		// TotalAlloc bounds what was live at any moment from above.
		peak = max(peak, after.TotalAlloc-before.TotalAlloc)
	}
	b.ReportMetric(float64(uitest.ProcessCPUNow()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
	b.ReportMetric(float64(peak)/1e6, "alloc-MB/op")
}

// BenchmarkHomeFirstFrame is coreography's start up to its first frame, after the
// process has started: the lesson catalog (built-ins) and progress loaded, the app
// made and the home screen drawn at 100×30. Target with process start: 100 ms.
func BenchmarkHomeFirstFrame(b *testing.B) {
	dir := b.TempDir()
	cpu0 := uitest.ProcessCPUNow()
	for b.Loop() {
		cat, errs := lessons.LoadCatalog(dir)
		if cat == nil {
			b.Fatal(errs)
		}
		prog, _ := lessons.LoadProgress(filepath.Join(dir, "progress.json"))
		app := NewApp(AppOptions{Catalog: cat, Progress: prog})
		app.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
		if app.View().Content == "" {
			b.Fatal("no frame")
		}
	}
	b.ReportMetric(float64(uitest.ProcessCPUNow()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
}
