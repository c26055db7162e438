package ui

import (
	"strconv"
	"strings"
	"time"
)

// Time units for axis labels and figures, largest first.
var timeUnits = []struct {
	ns   int64
	name string
}{{int64(time.Second), "s"}, {int64(time.Millisecond), "ms"}, {int64(time.Microsecond), "µs"}, {1, "ns"}}

// unitFor picks the unit a span of length ns reads best in: the largest that is not
// bigger than it.
func unitFor(ns int64) (int64, string) {
	for _, u := range timeUnits {
		if ns >= u.ns {
			return u.ns, u.name
		}
	}
	return 1, "ns"
}

// formatDur spells a duration with three significant figures: 812ms, 12.3ms, 1.62s,
// 45µs. Every time the screens show is spelled by it.
func formatDur(d time.Duration) string {
	ns := int64(d)
	if ns < 0 {
		if ns == -ns { // math.MinInt64 has no positive twin
			ns++
		}
		return "-" + formatDur(time.Duration(-ns))
	}
	if ns == 0 {
		return "0"
	}
	unit, name := unitFor(ns)
	v := float64(ns) / float64(unit)
	decimals := 0
	switch {
	case v < 10:
		decimals = 2
	case v < 100:
		decimals = 1
	}
	return trimZeros(strconv.FormatFloat(v, 'f', decimals, 64)) + name
}

// trimZeros drops the zeros after a decimal point that say nothing: 1.50 is 1.5.
func trimZeros(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// formatSpeed spells a playback speed: 1×, 0.5×, 0.01×.
func formatSpeed(x float64) string { return trimZeros(strconv.FormatFloat(x, 'f', 2, 64)) + "×" }
