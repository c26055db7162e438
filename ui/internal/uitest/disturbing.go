package uitest

import (
	"context"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// Disturbing runs Inner, then records that other programs took 60 % of two
// cores for the first Disturbed calls and 1 % after them.
type Disturbing struct {
	Inner     experiment.Runner
	Disturbed int
	Calls     int // how many runs it made
}

// Run runs spec with Inner, then records what other programs took.
func (d *Disturbing) Run(ctx context.Context, spec experiment.Spec, rec *timeline.Recorder) error {
	if err := d.Inner.Run(ctx, spec, rec); err != nil {
		return err
	}
	d.Calls++
	o := timeline.Others{CPU: 12 * time.Millisecond, Cores: 2, Span: 600 * time.Millisecond, Slack: 20 * time.Millisecond}
	if d.Calls <= d.Disturbed {
		o.CPU = 720 * time.Millisecond
	}
	rec.SetOthers(o)
	return nil
}
