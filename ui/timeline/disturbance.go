package timeline

import (
	"fmt"
	"strings"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
)

// disturbance says how much CPU other programs took from a run, for a learner:
// "other programs took 610 ms of CPU, 31% of 2 cores × 980 ms".
func Disturbance(s timeline.Stats) string { return DisturbanceSep(s, " ") }

// disturbanceSep is disturbance with sep between each figure and its unit: a
// no-break space where the line is wrapped, so "131 ms" never breaks in two.
func DisturbanceSep(s timeline.Stats, sep string) string {
	o := s.Others
	if o == nil {
		return "other programs' CPU use is unknown"
	}
	prose := func(d time.Duration) string {
		return strings.Replace(experiment.FormatDuration(d, experiment.Prose), " ", sep, 1)
	}
	return fmt.Sprintf("other programs took %s of CPU, %d%% of %d %s × %s",
		prose(o.CPU), int(100*o.Share()+0.5), o.Cores, plural(o.Cores, "core"), prose(o.Span))
}

// noBreakSpace keeps a figure and its unit on one line when a notice wraps.
const NoBreakSpace = "\u00a0"

// wrapPlainNote wraps a note for a plain terminal, ending with a newline.
func wrapPlainNote(s string, width int) string {
	return strings.Join(common.WrapText(s, width, "  "), "\n") + "\n"
}
