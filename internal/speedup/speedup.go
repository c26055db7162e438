// Package speedup owns the speed-up curve: points measured or simulated over a range
// of worker counts, the Amdahl fit of their serial fraction, and the terminal plot
// that the scale command, the lab and lessons all draw.
package speedup

import (
	"encoding/json"
	"math"
	"time"
)

// Point is one run of the experiment at a worker count.
type Point struct {
	Workers int           `json:"workers"`
	Cores   int           `json:"cores"`
	Wall    time.Duration `json:"-"`
	WallS   float64       `json:"wall_s"`
	Speedup float64       `json:"speedup"` // the one-worker wall ÷ this wall
	// SpeedupVs is what Speedup is against: "measured" (a one-worker run of the same
	// source) or "planned" (the calibrated serial time).
	SpeedupVs string `json:"speedup_vs"`
	Source    string `json:"source"` // "real" or "sim"
	// Disturbed: other programs took this machine's cores from every try of a real point.
	Disturbed bool `json:"disturbed,omitempty"`
}

// Amdahl is the fitted law S(n) = 1 / (s + (1−s)/n).
type Amdahl struct {
	SerialFraction float64 `json:"serial_fraction"`
	MaxSpeedup     float64 `json:"max_speedup"` // 1/s: the fitted law's cap, a fit to the points (a run may sit a little above it); +Inf when s is 0
}

// Capped reports whether the fit sets a cap: a serial fraction of 0 sets none.
func (a Amdahl) Capped() bool { return !math.IsInf(a.MaxSpeedup, 0) && !math.IsNaN(a.MaxSpeedup) }

// MarshalJSON writes max_speedup as null when the fit sets no cap: JSON has no
// infinity, and a scale --json that fails on a perfectly parallel run says nothing.
func (a Amdahl) MarshalJSON() ([]byte, error) {
	out := struct {
		SerialFraction float64  `json:"serial_fraction"`
		MaxSpeedup     *float64 `json:"max_speedup"`
	}{SerialFraction: a.SerialFraction}
	if a.Capped() {
		out.MaxSpeedup = &a.MaxSpeedup
	}
	return json.Marshal(out)
}

// At is the law's speed-up on n workers.
func (a Amdahl) At(n float64) float64 {
	return 1 / (a.SerialFraction + (1-a.SerialFraction)/n)
}

// SetSpeedups fills every point's speed-up against base, the one-worker wall time.
func SetSpeedups(points []Point, base time.Duration) {
	for i := range points {
		points[i].WallS = points[i].Wall.Seconds()
		if points[i].Wall > 0 {
			points[i].Speedup = base.Seconds() / points[i].Wall.Seconds()
		}
	}
}

// CoreLimited reports whether p ran more workers than it had cores: its speed-up is
// then this machine's limit, not the program's, and says nothing about its serial part.
func (p Point) CoreLimited() bool { return p.Cores > 0 && p.Workers > p.Cores }

// FitAmdahl fits the serial fraction s by least squares on 1/S, where the law is
// linear in s: 1/S − 1/n = s·(1 − 1/n). Points on one worker say nothing about s, and
// neither do core-limited ones: fitted to them, the law read two workers sharing two
// cores with two more as a serial part.
func FitAmdahl(points []Point) Amdahl {
	var sxy, sxx float64
	for _, p := range points {
		if p.Workers < 2 || p.Speedup <= 0 || p.CoreLimited() {
			continue
		}
		n := float64(p.Workers)
		x, y := 1-1/n, 1/p.Speedup-1/n
		sxy += x * y
		sxx += x * x
	}
	s := 0.0
	if sxx > 0 {
		s = min(max(sxy/sxx, 0), 1)
	}
	a := Amdahl{SerialFraction: s, MaxSpeedup: math.Inf(1)}
	if s > 0 {
		a.MaxSpeedup = 1 / s
	}
	return a
}

// MachineLimit is the most cores the core-limited points had: past it, more workers
// cannot go faster on this machine whatever the program. 0 when no point is limited.
func MachineLimit(points []Point) int {
	limit := 0
	for _, p := range points {
		if p.CoreLimited() {
			limit = max(limit, p.Cores)
		}
	}
	return limit
}
