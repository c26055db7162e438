package speedup

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
)

// amdahlPoints are the wall times of a program with serial fraction s, on n workers.
func amdahlPoints(s float64, ns ...int) []Point {
	var out []Point
	for _, n := range ns {
		wall := time.Duration((s + (1-s)/float64(n)) * float64(time.Second))
		src := "real"
		if n > 2 {
			src = "sim"
		}
		out = append(out, Point{Workers: n, Cores: n, Wall: wall, Source: src})
	}
	SetSpeedups(out, time.Second)
	return out
}

func TestFitAmdahlFindsTheSerialFraction(t *testing.T) {
	for _, s := range []float64{0, 0.05, 0.11, 0.5, 1} {
		fit := FitAmdahl(amdahlPoints(s, 1, 2, 4, 8, 16, 32, 64))
		if math.Abs(fit.SerialFraction-s) > 1e-9 {
			t.Errorf("serial fraction %v fitted as %v", s, fit.SerialFraction)
		}
		if s > 0 && math.Abs(fit.MaxSpeedup-1/s) > 1e-6 {
			t.Errorf("max speed-up for %v = %v, want %v", s, fit.MaxSpeedup, 1/s)
		}
	}
}

func TestPlotHasEveryGlyphAndLegend(t *testing.T) {
	pts := amdahlPoints(0.11, 1, 2, 4, 8, 16, 32, 64)
	out := Plot(pts, FitAmdahl(pts), 60, 12, false)
	for _, want := range []string{GlyphReal, GlyphSim, GlyphIdeal, GlyphAmdahl, "measured", "simulated", "ideal", "serial fraction 0.110", " 64"} {
		if !strings.Contains(out, want) {
			t.Errorf("plot lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Errorf("plot without colour has escape codes")
	}
}

// Issue 28 #9: a perfectly parallel fit (serial fraction 0) sets no cap; its JSON is
// valid, with max_speedup null, not a marshalling error on +Inf.
func TestHostile09NoSerialPartIsValidJSON(t *testing.T) {
	fit := FitAmdahl(amdahlPoints(0, 1, 2, 4, 8))
	if fit.Capped() {
		t.Fatalf("fit %+v claims a cap", fit)
	}
	data, err := json.Marshal(struct{ Amdahl Amdahl }{fit})
	if err != nil || !json.Valid(data) || !strings.Contains(string(data), `"max_speedup":null`) {
		t.Fatalf("JSON %s, %v", data, err)
	}
	capped, _ := json.Marshal(FitAmdahl(amdahlPoints(0.5, 1, 2, 4, 8)))
	if !strings.Contains(string(capped), `"max_speedup":2`) {
		t.Errorf("a capped fit wrote %s", capped)
	}
}
