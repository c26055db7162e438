package timeline

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/coreography/coreography/internal/timeline"
)

// A speed-up beyond what the cores could give is waits overlapping, and says so; one
// within them is a plain figure.
func TestSpeedupFigureExplainsOverlappedWaits(t *testing.T) {
	waits := timeline.Stats{Meta: timeline.Meta{Cores: 2}, Speedup: 9266.87}
	if got := speedupFigure(waits); !strings.Contains(got, "9267×") || !strings.Contains(got, "waits overlapped") {
		t.Errorf("10,000 overlapped waits read %q", got)
	}
	if got := speedupFigure(timeline.Stats{Meta: timeline.Meta{Cores: 2}, Speedup: 1.84}); got != "1.84×" {
		t.Errorf("a two-core speed-up reads %q, want 1.84×", got)
	}
}

// A comparison's table says how much faster each run was than run 1, the figure the
// lesson's text and verdict quote, beside the speedup over the calibrated serial time
// (a learner met "1.00×" in the text and "speedup 0.87×" in the table).
func TestCompareTableSaysSpeedAgainstRunOne(t *testing.T) {
	runs := []timeline.Stats{
		{Meta: timeline.Meta{Model: "gil", Workers: 2, Tasks: 4}, Wall: 1470 * time.Millisecond, Speedup: 0.87},
		{Meta: timeline.Meta{Model: "threads", Workers: 2, Tasks: 4}, Wall: 735 * time.Millisecond, Speedup: 1.74},
	}
	var row string
	for _, l := range strings.Split(ansi.Strip(tableStats(runs, 80, NewTimeline(nil).painter())), "\n") {
		if strings.HasPrefix(l, "vs run 1") {
			row = l
		}
	}
	if f := strings.Fields(row); len(f) != 5 || f[3] != "1.00×" || f[4] != "2.00×" {
		t.Errorf("the table's row against run 1 reads %q, want 1.00× and 2.00×", row)
	}
}
