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

// The lab's curve with a core-limited point: processes at 1, 2 and 4 workers on 2
// cores. Fitted to all three, the law read the 4-worker point's flat speed-up as a
// serial part (0.6 where the program has almost none), and its line ran below both
// measured points. Fitted where workers ≤ cores, it finds the program's; past the
// cores the plot draws the machine's limit, flat and labelled, and the ideal line
// that leaves the top is marked.
func TestCoreLimitedPointIsTheMachinesLimitNotTheFit(t *testing.T) {
	pts := []Point{
		{Workers: 1, Cores: 2, Wall: time.Second, Source: "real"},
		{Workers: 2, Cores: 2, Wall: 520 * time.Millisecond, Source: "real"},
		{Workers: 4, Cores: 2, Wall: 510 * time.Millisecond, Source: "real"},
	}
	SetSpeedups(pts, time.Second)
	fit := FitAmdahl(pts)
	if want := 0.04; math.Abs(fit.SerialFraction-want) > 0.005 {
		t.Errorf("serial fraction %.3f, want %.3f from the points on no more workers than cores", fit.SerialFraction, want)
	}
	if all := FitAmdahl([]Point{pts[0], pts[1], {Workers: 4, Speedup: pts[2].Speedup}}); all.SerialFraction < 0.2 {
		t.Errorf("the same points with their cores unknown fit %.3f: the test no longer shows what a core limit does", all.SerialFraction)
	}
	if got := MachineLimit(pts); got != 2 {
		t.Errorf("machine limit %d, want 2 cores", got)
	}
	out := Plot(pts, fit, 60, 10, false)
	for _, want := range []string{GlyphLimit + " this machine's limit: 2 cores, 1.92×", GlyphOffTop + " ideal leaves the top at 4 workers"} {
		if !strings.Contains(out, want) {
			t.Errorf("plot lacks %q:\n%s", want, out)
		}
	}
	rows := strings.Split(out, "\n")
	if n := strings.Count(strings.Join(rows[:10], "\n"), GlyphLimit); n < 10 {
		t.Errorf("the flat line past 2 cores has %d %s: want it drawn across to 4 workers:\n%s", n, GlyphLimit, out)
	}
	if strings.Contains(strings.Join(rows[:10], "\n"), GlyphOffTop) == false {
		t.Errorf("no %s where the ideal line leaves the plot:\n%s", GlyphOffTop, out)
	}
}

// Points on as many cores as workers (sim's, or a real machine's own) are all fitted
// and draw no limit.
func TestNoLimitWithoutCoreLimitedPoints(t *testing.T) {
	pts := amdahlPoints(0.11, 1, 2, 4, 8)
	if MachineLimit(pts) != 0 || strings.Contains(Plot(pts, FitAmdahl(pts), 60, 10, false), "limit") {
		t.Error("a limit drawn for points that each had their cores")
	}
}
