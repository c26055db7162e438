// Package calibrate measures this machine: the this-machine cost profile that sim runs
// with, taken from the real engines in pools.
package calibrate

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/safefile"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/internal/undisturbed"
	"github.com/coreography/coreography/pools"
	"github.com/coreography/coreography/sim"
)

// The this-machine profile is measured from the real engines, a few short runs of
// about two seconds in all, once per machine and calibration, and cached beside the
// calibration. Delete the file to measure again (on a quiet machine).

// profileFile is the cached this-machine profile, keyed to what it was measured with.
type profileFile struct {
	Profile   sim.Profile `json:"profile"`
	NsPerIter float64     `json:"ns_per_iter"` // the calibration it was measured under
	GOARCH    string      `json:"goarch"`
	CPUs      int         `json:"cpus"`
	Load      float64     `json:"load"` // load average while measuring
}

var (
	thisMachineOnce sync.Mutex
	thisMachine     *sim.Profile
)

// profileFileName is the cached profile's name in the app's private cache directory.
const profileFileName = "sim-profile.json"

// ProfileByName finds a cost profile for sim: this-machine is measured from the real
// engines once and cached; the others are built into sim.
func ProfileByName(name string) (sim.Profile, bool, error) {
	if name == experiment.DefaultProfile {
		p, err := thisMachineProfile(context.Background(), nil)
		return p, err == nil, err
	}
	return sim.BuiltinProfiles(name)
}

// thisMachineProfile returns the cached profile, or measures it now, telling progress
// (nil: nobody) of each probe, and caches it.
func thisMachineProfile(ctx context.Context, progress Progress) (sim.Profile, error) {
	thisMachineOnce.Lock()
	defer thisMachineOnce.Unlock()
	if thisMachine != nil {
		return *thisMachine, nil
	}
	cal := pools.CurrentCalibration()
	if p := cachedProfile(); p != nil {
		thisMachine = p
		return *p, nil
	}
	p, err := measureProfile(ctx, pools.New(), progress)
	if err != nil {
		return sim.Profile{}, fmt.Errorf("measuring this machine for the model: %w", err)
	}
	data, _ := json.MarshalIndent(profileFile{Profile: p, NsPerIter: cal.NsPerIter, GOARCH: runtime.GOARCH,
		CPUs: runtime.NumCPU(), Load: loadAverageNow()}, "", "  ")
	safefile.WriteFile(profileFileName, data, 0o600) // failing to cache only costs a measurement
	thisMachine = &p
	return p, nil
}

// cachedProfile is the cached this-machine profile when it fits this machine and its
// calibration, else nil.
func cachedProfile() *sim.Profile {
	data, err := safefile.ReadFile(profileFileName, 1<<20) // regular, small and private: it is a cache
	if err != nil {
		return nil
	}
	var f profileFile
	// Measured under a calibration within a quarter of the one in use: a clock that
	// moved a little (checkClock) does not cost a whole new measurement.
	ok := json.Unmarshal(data, &f) == nil && math.Abs(f.NsPerIter/pools.CurrentCalibration().NsPerIter-1) <= 0.25 && f.GOARCH == runtime.GOARCH &&
		f.CPUs == runtime.NumCPU() && f.Profile.Plausible() == nil // figures no machine measured are measured again
	// One measured on a busy machine serves until the machine is quiet enough to do better.
	if !ok || (f.Load > float64(f.CPUs) && loadAverageNow() <= float64(f.CPUs)) {
		return nil
	}
	if f.Profile.MeasuredAt.IsZero() { // cached before the date was kept beside the figures
		f.Profile.MeasuredLoad = f.Load
	}
	return &f.Profile
}

// probeRun runs one small real experiment and returns its trace and stats: the first
// run that other programs did not disturb, or the last try (undisturbed.Default). A
// busy machine inflates every cost (a GIL waiter that wakes late doubles the switch
// cycle), and the profile is for this machine, not for this machine's neighbours.
func probeRun(ctx context.Context, real *prober, spec experiment.Spec, notation string) (*timeline.Trace, timeline.Stats, error) {
	tr, st, _, err := probeRunOwnCPU(ctx, real, spec, notation)
	return tr, st, err
}

// probeRunOwnCPU is probeRun that also says how much CPU this process used in the run
// it returns (-1: unknown): for a process pool, the parent's work.
func probeRunOwnCPU(ctx context.Context, real *prober, spec experiment.Spec, notation string) (*timeline.Trace, timeline.Stats, time.Duration, error) {
	tasks, err := experiment.ParseTasks(notation)
	if err != nil {
		return nil, timeline.Stats{}, 0, err
	}
	spec.Tasks = tasks
	real.starting(spec)
	r := &ownCPURunner{Runner: real.engines}
	for try := 1; ; try++ {
		res, err := undisturbed.Run(ctx, r, spec, undisturbed.Default)
		if err != nil {
			return nil, timeline.Stats{}, 0, fmt.Errorf("%v: %w", spec, err)
		}
		// A run that found this machine's clock moved calibrated cpu(d) again before it
		// began, and this process's CPU then is mostly that calibration's: the next run
		// uses the new one. Every third try still moving leaves the pool's CPU unknown.
		if c := res.Trace.Clock; c != nil && c.Recalibrated {
			if r.own = -1; try < 3 {
				continue
			}
		}
		real.finished(res.Stats.Disturbed)
		return res.Trace, res.Stats, r.own, nil
	}
}

// ownCPURunner is a Runner that keeps the CPU this process used in its last run
// (-1: unknown).
type ownCPURunner struct {
	experiment.Runner
	own time.Duration
}

func (r *ownCPURunner) Run(ctx context.Context, spec experiment.Spec, rec *timeline.Recorder) error {
	before, known := timeline.ProcessCPU()
	err := r.Runner.Run(ctx, spec, rec)
	r.own = -1
	if after, ok := timeline.ProcessCPU(); known && ok && after >= before {
		r.own = after - before
	}
	return err
}

// measureProfile derives every cost of the model from real runs of the engines: each
// the median of five rounds (a disturbed probe is run again first). The model is to
// predict a typical run, and on a shared machine an undisturbed probe's figures still
// scatter widely from run to run; the least of a few made every simulated pool
// faster than the real runs it was checked against (docs/performance.md). The GIL's
// figures are the exception (gilFigures).
func measureProfile(ctx context.Context, engines experiment.Runner, progress Progress) (sim.Profile, error) {
	const rounds = 5
	real := &prober{engines: engines, progress: progress, total: rounds * probesPerRound}
	var all, quietRounds, disturbed []sim.Profile
	for range rounds {
		real.roundDisturbed = false
		p, quiet, err := measureOnce(ctx, real)
		if err != nil {
			return p, err
		}
		if real.roundDisturbed { // a probe that stayed disturbed: the round is skipped
			disturbed = append(disturbed, p)
			continue
		}
		all = append(all, p)
		if quiet {
			quietRounds = append(quietRounds, p)
		}
	}
	if len(all) == 0 { // never quiet: the disturbed rounds are all there is
		all = disturbed
	}
	out := all[0]
	for i, f := range costFigures(&out) {
		*f = time.Duration(medianBy(all, func(p sim.Profile) float64 { return float64(*costFigures(&p)[i]) }))
	}
	// A slice the probe could not see (no preemption in it) is no figure.
	seen := slices.DeleteFunc(slices.Clone(all), func(p sim.Profile) bool { return p.MeasuredSlice == 0 })
	out.MeasuredSlice = time.Duration(medianBy(seen, func(p sim.Profile) float64 { return float64(p.MeasuredSlice) }))
	out.WorkStretch = medianBy(all, func(p sim.Profile) float64 { return p.WorkStretch })
	out.BytesPerSecond = medianBy(all, func(p sim.Profile) float64 { return p.BytesPerSecond })
	for i, f := range gilFigures(&out) {
		figure := func(p sim.Profile) float64 { return float64(*gilFigures(&p)[i]) }
		if len(quietRounds) > 0 {
			*f = time.Duration(medianBy(quietRounds, figure))
		} else {
			*f = time.Duration(figure(slices.MinFunc(all, func(a, b sim.Profile) int { return cmp.Compare(figure(a), figure(b)) })))
		}
	}
	out.MeasuredAt, out.MeasuredLoad = time.Now().UTC(), loadAverageNow()
	out.Measured = fmt.Sprintf("measured %s from the real engines on %d cores, median of %d rounds (%d skipped as disturbed); load average %.2f",
		out.MeasuredAt.Format(time.RFC3339), runtime.NumCPU(), len(all), len(disturbed), out.MeasuredLoad)
	return out, nil
}

// costFigures are the profile's measured costs that are the median of every round.
func costFigures(p *sim.Profile) []*time.Duration {
	return []*time.Duration{&p.TaskDispatch, &p.ProcStartup, &p.ProcStartupCPU, &p.ProcExit, &p.SpawnGap,
		&p.ChunkParent, &p.ChunkWorker, &p.TaskInChunk, &p.ParentPerTask, &p.HTTPLatency, &p.HTTPCPU,
		&p.LoopStep, &p.LoopTaskEnd, &p.LoopWakeLate}
}

// gilFigures are the GIL's wake-up latencies, which a busy machine doubles: the median
// of the undisturbed rounds only, or when every round was disturbed the least of them.
func gilFigures(p *sim.Profile) []*time.Duration {
	return []*time.Duration{&p.GILHandoff, &p.GILTimeoutSlack, &p.GILSwitchCPU}
}

func firstField(s string) string {
	for i, r := range s {
		if r == ' ' {
			return s[:i]
		}
	}
	return "unknown"
}

// measureOnce is one round of measuring. gilQuiet says whether the GIL's figures come
// from a run that other programs did not disturb.
func measureOnce(ctx context.Context, real *prober) (p sim.Profile, gilQuiet bool, err error) {
	p = sim.Profile{Name: experiment.DefaultProfile, BaseSlice: 750 * time.Microsecond}
	if p.Processes, err = measureStartup(ctx, real); err != nil {
		return p, false, err
	}
	if p.Pipes, err = measureChunks(ctx, real); err != nil {
		return p, false, err
	}
	gilQuiet, err = measureThreads(ctx, real, &p)
	return p, gilQuiet, err
}

// measureThreads measures what the in-process engines cost: the GIL hand-off, the OS
// slice, a thread pool's dispatch, an event-loop step and loopback http.
func measureThreads(ctx context.Context, real *prober, p *sim.Profile) (gilQuiet bool, err error) {
	// Sustained work: cpu(d) is calibrated on the fastest of short bursts, and 100 ms of
	// it with the probe's clock reads costs more CPU than that.
	const sustained = 100 * time.Millisecond
	tr, _, err := probeRun(ctx, real, experiment.Spec{Model: experiment.Serial}, "2*cpu(50ms)")
	if err != nil {
		return false, err
	}
	// Against the calibration in use, whichever way it is off: a calibration made on a busy
	// machine makes cpu(d) shorter than d, and the model must know that too.
	p.WorkStretch = runningCPU(tr).Seconds() / sustained.Seconds()

	// The GIL: two CPU-bound threads at a 1 ms interval. A hand-off is a stretch in which
	// neither runs; the taker then spends some CPU before its work goes on; and a cycle
	// is the interval, two hand-offs (the forced dropper is woken by the take) and the
	// timed wait's lateness.
	const gilWork, interval = 120 * time.Millisecond, time.Millisecond
	tr, st, err := probeRun(ctx, real, experiment.Spec{Model: experiment.GIL, Workers: 2, SwitchInterval: interval}, "2*cpu(60ms)")
	if err != nil {
		return false, err
	}
	gilQuiet = !st.Disturbed
	if st.GILSwitches > 0 {
		p.GILHandoff = medianIdleGap(tr)
		work := time.Duration(p.WorkStretch * float64(gilWork))
		p.GILSwitchCPU = max(runningCPU(tr)-work, 0) / time.Duration(st.GILSwitches)
		p.GILTimeoutSlack = max(medianTakeCycle(tr)-interval-2*p.GILHandoff, 0)
	}

	// The OS time slice: two CPU-bound threads on one core take turns.
	if tr, _, err := probeRun(ctx, real, experiment.Spec{Model: experiment.Threads, Workers: 2, Cores: 1}, "2*cpu(60ms)"); err == nil {
		p.MeasuredSlice = medianRun(tr)
	}

	// Thread pool dispatch, event-loop steps and loopback http.
	_, st, err = probeRun(ctx, real, experiment.Spec{Model: experiment.Serial}, "20000*cpu(0ns)")
	if err != nil {
		return false, err
	}
	p.TaskDispatch = st.Wall / 20000
	// The event loop, 10,000 timers deep: each coroutine is resumed twice.
	if p.Loop, err = measureLoop(ctx, real); err != nil {
		return false, err
	}
	_, st, err = probeRun(ctx, real, experiment.Spec{Model: experiment.Threads, Workers: 1}, "40*http(1ms)")
	if err != nil {
		return false, err
	}
	p.HTTPCPU = st.CPU / 40
	p.HTTPLatency = max(st.Wall-40*time.Millisecond, 0) / 40 // the CPU is spent inside the wait
	return gilQuiet, nil
}

// measureLoop is the event loop's costs, from three runs of 10,000 coroutines that
// each await one io(20ms): the median of each. One loop run's CPU varies more from
// the next one's than any other engine's figure (docs/performance.md), so one run is
// not enough to stand for it.
func measureLoop(ctx context.Context, real *prober) (sim.Loop, error) {
	const coroutines, wait = 10000, 20 * time.Millisecond
	var steps, ends, lates []int64
	for range 3 {
		tr, st, err := probeRun(ctx, real, experiment.Spec{Model: experiment.Asyncio}, fmt.Sprintf("%d*io(%v)", coroutines, wait))
		if err != nil {
			return sim.Loop{}, err
		}
		step, end, late := loopCosts(tr, wait)
		// The spans see the loop's CPU resume by resume; what it spends between them
		// (the timer heap, gathering the next batch, its first and last moments) is
		// more, and the model has nowhere else to put it: the per-resume costs carry it.
		if spans := coroutines * (2*step + end); spans > 0 && st.CPU > spans {
			k := float64(st.CPU) / float64(spans)
			step, end = time.Duration(float64(step)*k), time.Duration(float64(end)*k)
		}
		steps, ends, lates = append(steps, int64(step)), append(ends, int64(end)), append(lates, int64(late))
	}
	return sim.Loop{LoopStep: median(steps), LoopTaskEnd: median(ends), LoopWakeLate: median(lates)}, nil
}

// medianRun is the median Running stretch between preemptions of threads sharing a
// core: the slice the OS gave each. 0 (use the kernel's formula) when none were seen.
func medianRun(tr *timeline.Trace) time.Duration {
	var runs []int64
	for _, l := range tr.Lanes {
		start := int64(-1)
		for _, e := range l.Events {
			switch {
			case e.State == timeline.Running && start < 0:
				start = e.T
			case e.State == timeline.Preempted && start >= 0:
				runs = append(runs, e.T-start)
				start = -1
			case e.State != timeline.Running:
				start = -1
			}
		}
	}
	if len(runs) < 4 {
		return 0
	}
	slices.Sort(runs)
	if d := time.Duration(runs[len(runs)/2]); d >= 100*time.Microsecond && d <= 50*time.Millisecond {
		return d
	}
	return 0
}

// loadAverageNow is the one-minute load average (Linux), 0 where there is none: with
// more runnable threads than cores every measured cost is inflated by waiting for one.
func loadAverageNow() float64 {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	load, _ := strconv.ParseFloat(firstField(string(data)), 64)
	return load
}
