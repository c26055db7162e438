// Package undisturbed runs an experiment again while other programs disturb it: the
// one policy that the player, scale and the calibration of this machine share.
package undisturbed

import (
	"context"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// Policy is how often, and after what pause, a disturbed run is run again.
type Policy struct {
	// Tries is how many runs in all, the first included; less than 1 counts as 1.
	Tries int
	// Pause is the wait before each run again: what disturbs a run is mostly a burst
	// (a compile, a test binary), and a retry straight into the same burst would only
	// measure it again.
	Pause time.Duration
	// Note hears, before each run again, the try about to start and the stats of the
	// disturbed one before it; nil for none.
	Note func(next int, disturbed timeline.Stats)
}

// Default is the policy every caller uses: three runs, a second apart.
var Default = Policy{Tries: 3, Pause: time.Second}

// WithNote is p with note as its Note.
func (p Policy) WithNote(note func(next int, disturbed timeline.Stats)) Policy {
	p.Note = note
	return p
}

// Result is the run kept: the first undisturbed one, or the last when every try was
// disturbed (Stats.Disturbed then says so, and the caller decides).
type Result struct {
	Trace *timeline.Trace
	Stats timeline.Stats
	Tries int // how many runs were made
}

// Run runs spec on r, and again while the run was disturbed, up to p.Tries runs. A run
// whose disturbance is unknown (no scheduler statistics) counts as undisturbed:
// nothing says otherwise. An error from a run, or ctx ending during a pause, ends it.
func Run(ctx context.Context, r experiment.Runner, spec experiment.Spec, p Policy) (Result, error) {
	var res Result
	for try := 1; ; try++ {
		rec := timeline.NewRecorder(spec.Meta())
		if err := r.Run(ctx, spec, rec); err != nil {
			return res, err
		}
		res.Trace, res.Tries = rec.Snapshot(), try
		res.Stats = timeline.Compute(res.Trace)
		if !res.Stats.Disturbed || try >= max(p.Tries, 1) {
			return res, nil
		}
		if p.Note != nil {
			p.Note(try+1, res.Stats)
		}
		if p.Pause > 0 {
			select {
			case <-ctx.Done():
				return res, ctx.Err()
			case <-time.After(p.Pause):
			}
		}
	}
}
