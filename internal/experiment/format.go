package experiment

import (
	"math"
	"strconv"
	"time"
)

// How a run's figures are spelled for people, wherever they are shown: the TUI, the
// text renderer and the values a lesson quotes all ask here. (The notation's own
// spelling, which must parse back exactly, is formatScaled in tasks.go.)

// shownDurations are the units a duration is shown in, largest first: the notation's
// (durationScale), with µs for us.
var shownDurations = []unit{{"s", int64(time.Second)}, {"ms", int64(time.Millisecond)}, {"µs", int64(time.Microsecond)}, {"ns", 1}}

// DurationUnit is the unit a span of ns reads best in: the largest not bigger than it.
func DurationUnit(ns int64) (size int64, name string) {
	for _, u := range shownDurations {
		if ns >= u.size {
			return u.size, u.name
		}
	}
	return 1, "ns"
}

// FormatDuration spells d with three significant figures, sep between the number and
// the unit: 812ms, 12.3ms, 1.62s, 45µs on a chart (sep ""), "812 ms" in prose (" ").
func FormatDuration(d time.Duration, sep string) string {
	ns := int64(d)
	if ns < 0 {
		return "-" + FormatDuration(-time.Duration(max(ns, -math.MaxInt64)), sep)
	}
	if ns == 0 {
		return "0"
	}
	unit, name := DurationUnit(ns)
	return threeFigures(float64(ns)/float64(unit)) + sep + name
}

// FormatBytes spells a byte count: 512 B, 1.5 KB, 2.0 MB.
func FormatBytes(n float64) string {
	for _, u := range sizeScale[:len(sizeScale)-1] {
		if n >= float64(u.size) {
			return strconv.FormatFloat(n/float64(u.size), 'f', 1, 64) + " " + u.name
		}
	}
	return strconv.FormatFloat(n, 'f', 0, 64) + " B"
}

// threeFigures spells v (at least 1) with three significant figures: 8.12, 12.3, 812.
func threeFigures(v float64) string {
	decimals := 0
	switch {
	case v < 10:
		decimals = 2
	case v < 100:
		decimals = 1
	}
	return FormatDecimal(v, decimals)
}

// FormatDecimal spells v rounded to at most decimals places, without the trailing
// zeros that say nothing: 1.50 is 1.5, 2.00 is 2.
func FormatDecimal(v float64, decimals int) string {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', decimals, 64), 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// unit is one named power in a formatting scale, largest first.
type unit struct {
	name string
	size int64
}

var (
	sizeScale     = []unit{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1}}
	durationScale = []unit{{"s", int64(time.Second)}, {"ms", int64(time.Millisecond)}, {"us", int64(time.Microsecond)}, {"ns", 1}}
)

// formatScaled spells n in the largest unit that divides it, so it reads back exactly;
// failing that, as a decimal of the largest unit below n.
func formatScaled(n int64, scale []unit) string {
	for _, u := range scale {
		if n >= u.size && n%u.size == 0 {
			return strconv.FormatInt(n/u.size, 10) + u.name
		}
	}
	for _, u := range scale {
		if n >= u.size {
			return strconv.FormatFloat(float64(n)/float64(u.size), 'g', 6, 64) + u.name
		}
	}
	return "0" + scale[len(scale)-1].name
}

// FormatSize spells a byte count the way the notation reads it.
func FormatSize(n int64) string { return formatScaled(n, sizeScale) }

func formatDuration(d time.Duration) string { return formatScaled(int64(d), durationScale) }
