package speedup

import "testing"

func TestShow(t *testing.T) {
	pts := amdahlPoints(0.11, 1, 2, 4, 8, 16, 32, 64)
	t.Log("\n" + Plot(pts, FitAmdahl(pts), 50, 10, false))
}
