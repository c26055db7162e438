package pools

import (
	"runtime/debug"
	"testing"
)

// TestPauseGCRestoresWhenTheLastRunEnds: overlapping runs hold the collector off
// together, and the settings from before come back when the last one ends.
func TestPauseGCRestoresWhenTheLastRunEnds(t *testing.T) {
	before := debug.SetGCPercent(73)
	defer debug.SetGCPercent(before)
	limit := debug.SetMemoryLimit(-1)

	first := pauseGC(false)
	second := pauseGC(false)
	if p := debug.SetGCPercent(-1); p != -1 {
		t.Errorf("GC percent %d during two runs, want -1 (off)", p)
	}
	if l := debug.SetMemoryLimit(-1); l >= limit {
		t.Errorf("memory limit %d during a run, want a backstop below %d", l, limit)
	}
	first()
	first() // a second call is harmless
	if p := debug.SetGCPercent(-1); p != -1 {
		t.Errorf("GC percent %d while a run is still under way, want -1", p)
	}
	second()
	if p := debug.SetGCPercent(73); p != 73 {
		t.Errorf("GC percent %d after both runs, want 73 back", p)
	}
	if l := debug.SetMemoryLimit(-1); l != limit {
		t.Errorf("memory limit %d after both runs, want %d back", l, limit)
	}
}

// TestPauseGCLeavesADrawnRunsCollectorOn: a run the app draws as it goes keeps the
// collector, so the frames' garbage is reused rather than the heap growing.
func TestPauseGCLeavesADrawnRunsCollectorOn(t *testing.T) {
	before := debug.SetGCPercent(73)
	defer debug.SetGCPercent(before)
	resume := pauseGC(true)
	if p := debug.SetGCPercent(73); p != 73 {
		t.Errorf("GC percent %d during a drawn run, want 73 left as it was", p)
	}
	resume()
}
