package timeline

import (
	"testing"
	"time"
)

// TestLensWidth: the lens is a few seconds of the replay's clock, never narrower
// than zoom reaches, and none at full speed.
func TestLensWidth(t *testing.T) {
	for speed, want := range map[float64]time.Duration{1: 0, 0.5: 1500 * time.Millisecond, 0.1: 300 * time.Millisecond, 0.01: 30 * time.Millisecond, 1e-9: time.Duration(minWindow)} {
		if got := time.Duration(LensWidth(speed)); got != want {
			t.Errorf("lensWidth(%v) = %v, want %v", speed, got, want)
		}
	}
}
