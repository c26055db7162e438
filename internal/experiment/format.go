package experiment

import (
	"math"
	"strconv"
	"time"
)

// How a quantity is spelled, wherever it is shown or written: the TUI, the text
// renderer, the values a lesson quotes, limit messages and the notation itself all
// ask here. There is one formatter per quantity (FormatDuration, FormatSize), and a
// Spelling says for whom.

// Spelling is how a quantity is written.
type Spelling uint8

const (
	// Short is three significant figures with the unit close, for charts, stats and
	// headers: 812ms, 12.3ms, 1.62s, 45µs, 1.5KB.
	Short Spelling = iota
	// Prose is three significant figures with a space before the unit, for
	// sentences: "812 ms", "1.5 KB".
	Prose
	// Exact is the notation's spelling, which ParseTasks reads back to the same
	// value: the largest unit that divides it, 1500us, 64MB.
	Exact
)

// unit is one named power in a scale, largest first.
type unit struct {
	name string
	size int64
}

var (
	// shownDurations are the units a duration is shown in; the notation's
	// (durationScale) spell µs as us, which a keyboard has.
	shownDurations = []unit{{"s", int64(time.Second)}, {"ms", int64(time.Millisecond)}, {"µs", int64(time.Microsecond)}, {"ns", 1}}
	durationScale  = []unit{{"s", int64(time.Second)}, {"ms", int64(time.Millisecond)}, {"us", int64(time.Microsecond)}, {"ns", 1}}
	sizeScale      = []unit{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1}}
)

// FormatDuration spells d. For people 0 is "0", the same in any unit; the notation
// needs its unit, 0ns.
func FormatDuration(d time.Duration, how Spelling) string {
	ns := int64(d)
	switch {
	case ns < 0:
		return "-" + FormatDuration(-time.Duration(max(ns, -math.MaxInt64)), how)
	case ns == 0 && how != Exact:
		return "0"
	case how == Exact:
		return formatQuantity(ns, durationScale, how)
	}
	return formatQuantity(ns, shownDurations, how)
}

// FormatSize spells a byte count n (at least 0): 512 B, 1.5 KB, 2 MB.
func FormatSize(n int64, how Spelling) string { return formatQuantity(max(n, 0), sizeScale, how) }

// formatQuantity spells n (at least 0) in the best unit of scale for how.
func formatQuantity(n int64, scale []unit, how Spelling) string {
	sep := ""
	if how == Prose {
		sep = " "
	}
	for _, u := range scale {
		switch {
		case how == Exact && n%u.size == 0 && n >= u.size:
			return strconv.FormatInt(n/u.size, 10) + u.name
		case how != Exact && n >= u.size:
			return threeFigures(float64(n)/float64(u.size)) + sep + u.name
		}
	}
	return "0" + sep + scale[len(scale)-1].name
}

// DurationUnit is the unit a span of ns reads best in: the largest not bigger than it.
func DurationUnit(ns int64) (size int64, name string) {
	for _, u := range shownDurations {
		if ns >= u.size {
			return u.size, u.name
		}
	}
	return 1, "ns"
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
