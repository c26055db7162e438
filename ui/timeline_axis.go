package ui

import (
	"math"
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

// formatDur spells a duration with three significant figures: 812ms, 12.3ms, 1.62s, 45µs.
func formatDur(d time.Duration) string {
	ns := int64(d)
	if ns < 0 {
		return "-" + formatDur(-d)
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

func trimZeros(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// niceStep is the smallest 1, 2 or 5 × 10^k nanoseconds that is at least min.
func niceStep(min float64) int64 {
	if min <= 1 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(min)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= min {
			return int64(math.Round(m * p))
		}
	}
	return int64(10 * p)
}

// niceCeil rounds a duration up to 1, 2 or 5 × 10^k, so a live axis rescales only now
// and then instead of every frame.
func niceCeil(ns int64) int64 { return niceStep(float64(ns)) }

// axisTick is one labelled point of the time axis.
type axisTick struct {
	col   int
	label string
}

// axisTicks places labels for the window [from, to) over cols columns: round values
// in one unit chosen for the window, never closer than a label and two spaces.
func axisTicks(from, to int64, cols int) []axisTick {
	if cols <= 0 || to <= from {
		return nil
	}
	perCol := float64(to-from) / float64(cols)
	unit, name := unitFor(max(to, 1))
	const labelCols = 8 // "1500ms" and a gap
	step := niceStep(perCol * labelCols)
	decimals := 0
	if step < unit {
		decimals = int(math.Ceil(math.Log10(float64(unit) / float64(step))))
	}
	var out []axisTick
	next := 0 // first column a label may start at
	for t := (from + step - 1) / step * step; t < to; t += step {
		if from < 0 && t < 0 {
			continue
		}
		col := int(math.Round(float64(t-from) / perCol))
		label := strconv.FormatFloat(float64(t)/float64(unit), 'f', decimals, 64)
		if t == 0 {
			label = "0"
		} else {
			label = trimZeros(label) + name
		}
		if col < next || col+len([]rune(label)) > cols {
			continue
		}
		out = append(out, axisTick{col, label})
		next = col + len([]rune(label)) + 2
	}
	return out
}
