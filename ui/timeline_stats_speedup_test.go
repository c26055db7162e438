package ui

import (
	"strings"
	"testing"

	"github.com/coreography/coreography/timeline"
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
