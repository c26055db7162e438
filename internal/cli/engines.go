package cli

import (
	"context"

	"github.com/coreography/coreography/internal/calibrate"
	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/pools"
	"github.com/coreography/coreography/sim"
)

// engines is the one Runner the app hands out: a simulated spec goes to sim, with its
// cost profile, and every other spec to the real engines in pools.
type engines struct {
	real  experiment.Runner
	model *sim.Runner
}

func newEngines() experiment.Runner {
	return engines{real: pools.New(), model: sim.New(calibrate.ProfileByName)}
}

// newDrawnEngines is newEngines for the full-screen app, which draws every run as it
// goes (pools.NewDrawn).
func newDrawnEngines() experiment.Runner {
	return engines{real: pools.NewDrawn(), model: sim.New(calibrate.ProfileByName)}
}

// Run runs spec on its engine. A run that reports success with tasks unaccounted for
// (neither done, failed nor cancelled) is an error naming them, whatever the engine.
func (e engines) Run(ctx context.Context, spec experiment.Spec, rec *timeline.Recorder) error {
	var err error
	if spec.Sim {
		if err := measureInTheOpen(ctx, spec, rec); err != nil {
			return err
		}
		err = e.model.Run(ctx, spec, rec)
	} else {
		err = e.real.Run(ctx, spec, rec)
	}
	if err != nil {
		return err
	}
	return rec.Snapshot().Unaccounted()
}

// measureInTheOpen measures this machine for the model before the first simulated run
// on it, probe by probe on the run's own screen: the run's note is a progress bar
// naming each probe, and cancelling the run cancels the measurement.
func measureInTheOpen(ctx context.Context, spec experiment.Spec, rec *timeline.Recorder) error {
	if spec.Normalized().Profile != experiment.DefaultProfile || calibrate.MeasuredThisMachine() {
		return nil
	}
	_, err := calibrate.MeasureThisMachine(ctx, func(p calibrate.ProbeProgress) { rec.SetNote(p.Bar(0)) })
	rec.SetNote("")
	return err
}
