package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// disturbedRetries is how many more times headless play runs a run that other
// programs disturbed before it gives up on judging it.
const disturbedRetries = 2

// disturbedPause is how long play waits before running a disturbed run again: what
// disturbs a run is mostly a burst (a compile, a test binary), and a retry straight
// into the same burst would only measure it again.
var disturbedPause = 2 * time.Second

// DisturbedError says a run stayed disturbed through every try, so its prediction
// was not judged: a busy machine, not a wrong answer. `play` exits 3 on it.
type DisturbedError struct {
	Where string // "lesson gil, step 2, run 1 (threads ×2)"
	Tries int
	Stats timeline.Stats // the last try's
}

func (e *DisturbedError) Error() string {
	return fmt.Sprintf("%s: disturbed in all %d tries (%s); not judged — play it again on a quieter machine",
		e.Where, e.Tries, disturbance(e.Stats))
}

// disturbance says how much CPU other programs took from a run, for a learner:
// "other programs took 610 ms of CPU, 31% of 2 cores × 980 ms".
func disturbance(s timeline.Stats) string { return disturbanceSep(s, " ") }

// disturbanceSep is disturbance with sep between each figure and its unit: a
// no-break space where the line is wrapped, so "131 ms" never breaks in two.
func disturbanceSep(s timeline.Stats, sep string) string {
	o := s.Others
	if o == nil {
		return "other programs' CPU use is unknown"
	}
	return fmt.Sprintf("other programs took %s of CPU, %d%% of %d %s × %s",
		experiment.FormatDuration(o.CPU, sep), int(100*o.Share()+0.5), o.Cores, plural(o.Cores, "core"), experiment.FormatDuration(o.Span, sep))
}

// noBreakSpace keeps a figure and its unit on one line when a notice wraps.
const noBreakSpace = "\u00a0"

// runUndisturbed runs spec, and runs it again, up to disturbedRetries times, while
// other programs disturb it; note hears why each retry happens. A run whose
// disturbance is unknown (no /proc/stat) counts as undisturbed: nothing says otherwise.
// It returns the first undisturbed trace, or a *DisturbedError naming where.
func runUndisturbed(ctx context.Context, run experiment.Runner, spec experiment.Spec, where string,
	note func(string)) (*timeline.Trace, error) {
	for try := 1; ; try++ {
		rec := timeline.NewRecorder(spec.Meta())
		if err := run.Run(ctx, spec, rec); err != nil {
			return nil, err
		}
		trace := rec.Snapshot()
		stats := timeline.Compute(trace)
		if !stats.Disturbed {
			return trace, nil
		}
		if try > disturbedRetries {
			return nil, &DisturbedError{Where: where, Tries: try, Stats: stats}
		}
		note(fmt.Sprintf("Disturbed: %s; not judging it, running it again in %v (try %d of %d).",
			disturbance(stats), disturbedPause, try+1, disturbedRetries+1))
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(disturbedPause):
		}
	}
}

// refuseDisturbed reports whether a finished step's runs must not be judged (nor
// their figures filled into the text) because other programs disturbed one, and
// tells the learner so, with by how much and the key that runs it again.
func (p *lessonPlayer) refuseDisturbed(stats []timeline.Stats) bool {
	note := disturbedNote(stats, p.c.Keys.Player.Run.Help().Key)
	if note == "" {
		return false
	}
	p.notice, p.bad = note, true
	return true
}

// disturbedNote names the disturbed runs of a step (a step of one run has no "run 1"
// to speak of) and how much the first of them lost; "" when none was.
func disturbedNote(stats []timeline.Stats, runKey string) string {
	var runs []string
	first := -1
	for i, s := range stats {
		if s.Disturbed {
			runs = append(runs, fmt.Sprint(i+1))
			if first < 0 {
				first = i
			}
		}
	}
	switch {
	case len(runs) == 0:
		return ""
	case len(stats) == 1:
		return fmt.Sprintf("The run was disturbed: %s, so it is not judged. Press %s to run it again.",
			disturbanceSep(stats[0], noBreakSpace), runKey)
	case len(runs) == 1:
		return fmt.Sprintf("Run %s was disturbed: %s, so it is not judged. Press %s to run it again.",
			runs[0], disturbanceSep(stats[first], noBreakSpace), runKey)
	}
	list := strings.Join(runs[:len(runs)-1], ", ") + " and " + runs[len(runs)-1]
	return fmt.Sprintf("Runs %s were disturbed (run %d: %s), so they are not judged. Press %s to run them again.",
		list, first+1, disturbanceSep(stats[first], noBreakSpace), runKey)
}

// wrapPlainNote wraps a note for a plain terminal, ending with a newline.
func wrapPlainNote(s string, width int) string {
	return strings.Join(wrapText(s, width, "  "), "\n") + "\n"
}

// disturbedTag marks a kept run whose figures other programs disturbed, for the
// lab's list of recent runs; "" for any other run.
func disturbedTag(s timeline.Stats) string {
	if !s.Disturbed {
		return ""
	}
	return fmt.Sprintf(" · disturbed (others took %d%%)", int(100*s.Others.Share()+0.5))
}
