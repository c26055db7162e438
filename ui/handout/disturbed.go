package handout

import (
	"context"
	"fmt"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	uitimeline "github.com/coreography/coreography/ui/timeline"
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
		e.Where, e.Tries, uitimeline.Disturbance(e.Stats))
}

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
			uitimeline.Disturbance(stats), disturbedPause, try+1, disturbedRetries+1))
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(disturbedPause):
		}
	}
}
