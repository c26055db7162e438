package timeline

import (
	"testing"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// BenchmarkRenderFrame draws one styled frame of 16 lanes × 200 columns from a
// million-event trace: the whole run, then a zoomed-in window.
func BenchmarkRenderFrame(b *testing.B) {
	tr := uitest.SyntheticTrace(16, 1_000_000)
	traces := []*timeline.Trace{tr}
	tl := NewTimeline(common.NewStyles(common.Theme{Dark: true}))
	tl.Draw(traces, tr.End-tr.Begin, -1, -1, 200, 0) // the core cache's one full read
	for _, zoom := range []struct {
		name string
		in   int
	}{{"whole", 0}, {"zoomed", 6}} {
		b.Run(zoom.name, func(b *testing.B) {
			tl.Reset()
			tl.Draw(traces, tr.End-tr.Begin, -1, -1, 200, 0)
			for range zoom.in {
				tl.ZoomIn()
				tl.Draw(traces, tr.End-tr.Begin, -1, -1, 200, 0)
			}
			for b.Loop() {
				tl.Draw(traces, tr.End-tr.Begin, -1, -1, 200, 0)
			}
		})
	}
}
