// Package sim is a deterministic discrete-event model of the engines in pools on a
// machine of 1 to 256 virtual cores, recording the same timeline events they do.
//
// Everything runs on a virtual clock: cpu(d) is d of work on a virtual core, io(d)
// and http(d) are waits on the agenda, and what the engines themselves cost (a
// process start, a chunk through a pipe, a GIL hand-off) comes from a Profile. The
// same spec and profile give the same trace, event for event. Whether the model
// agrees with the real engines is measured by a test beside main, never assumed.
package sim

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// Profiles finds a cost profile by name; ok is false for a name it does not know.
type Profiles func(name string) (p Profile, ok bool, err error)

// BuiltinProfiles knows only the built-in profiles.
func BuiltinProfiles(name string) (Profile, bool, error) {
	i := slices.IndexFunc(Builtin, func(p Profile) bool { return p.Name == name })
	if i < 0 {
		return Profile{}, false, nil
	}
	return Builtin[i], true, nil
}

// Runner runs simulated specs.
type Runner struct {
	profiles Profiles
	events   atomic.Int64 // agenda entries the last run processed, for benchmarks
}

// New returns a Runner that looks profiles up with profiles (nil: the built-ins only).
func New(profiles Profiles) *Runner {
	if profiles == nil {
		profiles = BuiltinProfiles
	}
	return &Runner{profiles: profiles}
}

// Events is how many agenda entries the last Run processed.
func (r *Runner) Events() int64 { return r.events.Load() }

// Run models spec on its profile's machine and records it into rec. Cancelling ctx
// stops it between events. Runs on several goroutines at once are independent.
func (r *Runner) Run(ctx context.Context, spec experiment.Spec, rec *timeline.Recorder) error {
	spec.Sim = true
	if err := spec.Validate(); err != nil {
		return err
	}
	spec = spec.Normalized()
	prof, ok, err := r.profiles(spec.Profile)
	switch {
	case err != nil:
		return fmt.Errorf("sim: profile %s: %w", spec.Profile, err)
	case !ok:
		return fmt.Errorf("sim: no cost profile %q (built in: cpython, cpython-spawn; measured: this-machine)", spec.Profile)
	}
	if err := prof.validate(); err != nil {
		return fmt.Errorf("sim: %w", err)
	}
	if prov := prof.Provenance(runtime.NumCPU()); prov != "" { // the title says how far to trust it
		rec.SetName(strings.Replace(rec.Meta().Name, "profile "+spec.Profile+")", "profile "+spec.Profile+" "+prov+")", 1))
		rec.SetProfileMeasured(prov)
	}
	cores := spec.UsableCores()
	tasks := newTaskList(spec.Tasks)
	m := newMachine(cores, int64(prof.Slice(cores)), rec, laneEventsFor(tasks.len(), spec.Workers))
	switch spec.Model {
	case experiment.Serial, experiment.Threads, experiment.GIL:
		newPool(m, spec, prof, tasks)
	case experiment.Processes:
		newProcs(m, spec, prof, tasks)
	case experiment.Asyncio:
		newLoop(m, spec, prof, tasks)
	default:
		return fmt.Errorf("sim: model %q: no model of it", spec.Model)
	}
	// The recorder's event ceiling ends a model run as it ends a real one.
	finished := m.loop(func() bool { return ctx.Err() != nil || rec.Err() != nil })
	r.events.Store(m.events)
	for _, th := range m.threads { // a cancelled run still closes every lane
		m.exit(th)
	}
	rec.Begin(0) // virtual time starts at 0
	rec.Finish(max(m.now, 1))
	if !finished {
		if err := rec.Err(); err != nil {
			return err
		}
		return ctx.Err()
	}
	if done := rec.Snapshot().TasksDone; done != int64(tasks.len()) {
		return errors.New("sim: the model stalled with " + fmt.Sprint(int64(tasks.len())-done) + " tasks not done (a bug in sim)")
	}
	return nil
}

// laneEventsFor is about how many events a worker's lane takes: one a task and a
// quarter more (64 workers, 100,000 tasks: 1,580 on the busiest lane of a process
// pool or a thread pool). A GIL's hand-offs add more, and append grows the lane from
// there. Capped, and a little short rather than long: zeroing memory reserved and
// never used cost the simulation as much as copying had.
func laneEventsFor(tasks, workers int) int {
	return min(5*tasks/(4*max(workers, 1))+16, 1<<16)
}
