package main

import (
	"context"

	"github.com/coreography/coreography/experiment"
	"github.com/coreography/coreography/pools"
	"github.com/coreography/coreography/sim"
	"github.com/coreography/coreography/timeline"
)

// engines is the one Runner the app hands out: a simulated spec goes to sim, with its
// cost profile, and every other spec to the real engines in pools.
type engines struct {
	real  experiment.Runner
	model *sim.Runner
}

func newEngines() experiment.Runner {
	return engines{real: pools.New(), model: sim.New(profileByName)}
}

func (e engines) Run(ctx context.Context, spec experiment.Spec, rec *timeline.Recorder) error {
	if spec.Sim {
		return e.model.Run(ctx, spec, rec)
	}
	return e.real.Run(ctx, spec, rec)
}

// profileByName finds a cost profile: this-machine is measured from the real engines
// once and cached; the others are built into sim.
func profileByName(name string) (sim.Profile, bool, error) {
	if name == experiment.DefaultProfile {
		p, err := thisMachineProfile(context.Background())
		return p, err == nil, err
	}
	return sim.BuiltinProfiles(name)
}
