package timeline

import (
	"fmt"
	"strings"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
)

// Disturbance says what others cost a run, for a learner: "others took 38% of its
// time (it lost 310 ms of 1 core × 820 ms)" where the run measured what it lost,
// else (an older trace) "other programs took 610 ms of CPU, 31% of 2 cores × 980 ms".
func Disturbance(s timeline.Stats) string { return DisturbanceSep(s, " ") }

// DisturbanceSep is Disturbance with sep between each figure and its unit: a
// no-break space where the line is wrapped, so "131 ms" never breaks in two.
func DisturbanceSep(s timeline.Stats, sep string) string {
	prose := func(d time.Duration) string {
		return strings.Replace(experiment.FormatDuration(d, experiment.Prose), " ", sep, 1)
	}
	if l := s.Lost; l != nil {
		cores := max(l.Cores, 1)
		return fmt.Sprintf("others took %d%% of its time (it lost %s of %d %s × %s)", LostPercent(s),
			prose(l.Total()), cores, plural(cores, "core"), prose(l.Capacity/time.Duration(cores)))
	}
	o := s.Others
	if o == nil {
		return "other programs' CPU use is unknown"
	}
	return fmt.Sprintf("other programs took %s of CPU, %d%% of %d %s × %s",
		prose(o.CPU), int(100*o.Share()+0.5), o.Cores, plural(o.Cores, "core"), prose(o.Span))
}

// LostPercent is the share of its cores' time a run lost to others, in whole per
// cent; where that was not measured, the share others took of its cores.
func LostPercent(s timeline.Stats) int {
	switch {
	case s.Lost != nil:
		return int(100*s.Lost.Share() + 0.5)
	case s.Others != nil:
		return int(100*s.Others.Share() + 0.5)
	}
	return 0
}

// noBreakSpace keeps a figure and its unit on one line when a notice wraps.
const NoBreakSpace = "\u00a0"

// wrapPlainNote wraps a note for a plain terminal, ending with a newline.
func wrapPlainNote(s string, width int) string {
	return strings.Join(common.WrapText(s, width, "  "), "\n") + "\n"
}

// ClockNote says that this machine's speed had moved since cpu(d) was calibrated, so
// both calibrations were made again before the run.
func ClockNote(c timeline.ClockProbe) string {
	return fmt.Sprintf("This machine's speed had moved by %+.0f%% since cpu(d) was calibrated: Go's and CPython's "+
		"calibrations were made again, together, before this run.", 100*c.Drift())
}
