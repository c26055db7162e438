// Package pools runs experiments for real: serial, OS-thread pools, a CPython-style
// GIL, worker subprocesses over pipes and an event loop, on calibrated work.
package pools

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/procwatch"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/pools/cpython"
)

// New returns the Runner for every model, for runs nobody draws while they go (run,
// play, scale, calibration): the garbage collector is held off during each run.
func New() experiment.Runner { return runner{} }

// NewDrawn returns the Runner for an app that draws every run on screen as it goes:
// the collector stays on, since each frame leaves garbage of its own (see pauseGC).
// Which runner a screen gets is the caller's choice, made where the app is wired.
func NewDrawn() experiment.Runner { return runner{drawn: true} }

type runner struct {
	drawn bool // the app draws each run live: see pauseGC
}

// Run validates spec, sets up what its tasks need, runs it on the engine of its model
// and records every worker into rec. It returns ctx.Err() when ctx is cancelled, and
// the first failure otherwise; either way every worker has ended when it returns.
func (rn runner) Run(ctx context.Context, spec experiment.Spec, rec *timeline.Recorder) error {
	if err := spec.Validate(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	spec = spec.Normalized()
	if err := checkOSLimits(spec); err != nil {
		return err
	}
	defer pauseGC(rn.drawn)()
	if spec.Model.IsCPython() || spec.Model == experiment.Processes {
		defer holdProcs(1)() // the workers are other processes: see holdProcs
	}
	if spec.Model.IsCPython() {
		rec.SetClock(checkClock()) // CPython's cpu(d) is re-measured with Go's when the clock moved
		// The same guards as every engine's: what other programs took from the cores
		// (the Python tree's own CPU, as its sampler measured it, is not other), a
		// deadline, and a ceiling on the recording.
		defer recordOthers(rec, procwatch.WatchOthers(spec.Cores, func() time.Duration { return timeline.Compute(rec.Snapshot()).CPU }))
		ctx, endRun := guardRun(ctx, spec, rec)
		defer endRun()
		err := runCPython(ctx, spec, rec)
		return cmp.Or(guardCause(ctx), err)
	}
	CurrentCalibration() // measured once per machine, before the clock starts, not during the run
	rec.SetClock(checkClock())
	defer recordOthers(rec, procwatch.WatchOthers(spec.Cores, nil))
	ctx, endRun := guardRun(ctx, spec, rec)
	defer endRun()
	if spec.Model == experiment.Processes {
		// runProcesses sets up its own server and payloads; it may move Begin past them.
		rec.Begin(timeline.Now())
		stopMemory := watchMemory(spec, rec)
		err := runProcesses(ctx, spec, rec)
		stopMemory()
		rec.Finish(timeline.Now())
		return cmp.Or(guardCause(ctx), err)
	}
	err := runInProcess(ctx, spec, rec)
	if gerr := guardCause(ctx); gerr != nil {
		return gerr
	}
	return cmp.Or(ctx.Err(), err)
}

// runInProcess runs the engines whose workers are threads of this process. Their
// threads are one errgroup: the first to fail cancels the run's context, which every
// other thread checks between slices of work, and its error is the run's.
func runInProcess(ctx context.Context, spec experiment.Spec, rec *timeline.Recorder) error {
	engine, ok := inProcessEngines[spec.Model]
	if !ok {
		return fmt.Errorf("model %q: no engine runs it", spec.Model)
	}
	group, inner := errgroup.WithContext(ctx)
	ctr, err := newCounter(spec.Tasks, false)
	if err != nil {
		return err
	}
	defer ctr.close()
	ctr.rec = rec
	r := &run{ctx: inner, done: inner.Done(), group: group, spec: spec, tasks: spec.Tasks.List(), rec: rec, ctr: ctr,
		gate: newPhaseGate(spec.Tasks.PhaseStarts()), race: newStartGate(spec.Tasks, spec.Workers)}
	if spec.Tasks.HasHTTP() {
		web, err := startSlowServer()
		if err != nil {
			return fmt.Errorf("http: starting the loopback server: %w", err)
		}
		defer web.stop()
		r.web = web
	}
	defer holdProcs(threadProcs(spec.Workers))()
	r.begin = timeline.Now()
	rec.Begin(r.begin)
	stopMemory := watchMemory(spec, rec)
	err = engine(r)
	stopMemory()
	rec.Finish(timeline.Now())
	rec.SetCounter(ctr.final())
	return err
}

// inProcessEngines are the models runInProcess runs; each returns once every one of
// its threads has ended, with the first failure.
var inProcessEngines = map[experiment.Model]func(*run) error{
	experiment.Serial:  runSerial,
	experiment.Threads: runThreads,
	experiment.GIL:     runGIL,
	experiment.Asyncio: runAsyncio,
}

// watchMemory measures, for a run whose tasks only wait, what this process and its
// worker processes hold per task in flight, from the run's start to its end: what a
// waiting client costs. It returns the function that stops and records it.
func watchMemory(spec experiment.Spec, rec *timeline.Recorder) (stop func()) {
	n, ok := cpython.MeasuresMemory(spec)
	if !ok {
		return func() {}
	}
	w := cpython.WatchMemory(os.Getpid(), 0)
	return func() { w.Stop(rec, n) }
}

// guardError ends a run that has to stop for its own sake: its recording is full, or
// it passed its deadline.
type guardError struct{ error }

func (e guardError) Unwrap() error { return e.error }

// guardCause is why guardRun ended ctx, or nil when it did not.
func guardCause(ctx context.Context) error {
	var ge guardError
	if errors.As(context.Cause(ctx), &ge) {
		return ge.error
	}
	return nil
}

// runDeadline is how long a run may take: ten times its planned work plus a minute.
// Generous on a loaded machine; a run past it is stuck (a bad calibration, a wedged
// worker), and ends with an error rather than never.
func runDeadline(spec experiment.Spec) time.Duration {
	return 10*min(spec.PlannedWork(), experiment.MaxPlannedWork) + time.Minute
}

// guardRun returns ctx cancelled once rec reaches its ceiling or the run passes its
// deadline, so a run ends (with guardCause) rather than grow or hang. stop releases it.
func guardRun(ctx context.Context, spec experiment.Spec, rec *timeline.Recorder) (context.Context, func()) {
	inner, cancel := context.WithCancelCause(ctx)
	limit := runDeadline(spec)
	timer := time.AfterFunc(limit, func() {
		cancel(guardError{fmt.Errorf("the run passed its deadline of %s (%s of planned work, on a machine this busy or stuck): it was stopped",
			limit.Round(time.Second), spec.PlannedWork().Round(time.Millisecond))})
	})
	go func() {
		select {
		case <-rec.Full():
			cancel(guardError{rec.Err()})
		case <-inner.Done():
		}
	}()
	return inner, func() {
		timer.Stop()
		cancel(nil)
	}
}

// recordOthers records what other programs took from the run's cores, when known,
// with what the run's own threads waited for a core (RunQueue) and the app's own CPU
// beside its in-process workers (the app is no other program).
func recordOthers(rec *timeline.Recorder, stop func() (timeline.Others, bool)) {
	o, ok := stop()
	if !ok {
		return
	}
	o.Queue = time.Duration(rec.Count(timeline.RunQueue))
	o.App = max(o.App-inProcessCPU(rec.Snapshot()), 0)
	rec.SetOthers(o)
}

// inProcessCPU is the CPU the lanes of this process used: the workers' own part of
// the app's CPU.
func inProcessCPU(t *timeline.Trace) time.Duration {
	pid := int32(os.Getpid())
	var cpu time.Duration
	for _, l := range t.Lanes {
		for i := range l.Events {
			if sp := l.Span(i, t.End); sp.PID == pid && sp.CPUTime > 0 {
				cpu += time.Duration(sp.CPUTime)
			}
		}
	}
	return cpu
}

// run is one in-process run: what to do, where to record it, and how to stop it.
type run struct {
	ctx   context.Context // cancelled when the caller cancels or a worker fails
	done  <-chan struct{} // ctx.Done(), kept so the per-slice check is one channel poll
	group *errgroup.Group // the run's threads: the first to fail cancels ctx
	spec  experiment.Spec // normalized
	tasks []experiment.Task
	rec   *timeline.Recorder
	web   *slowServer // nil unless a task has an http step
	ctr   *counter    // what add(N) steps increment
	begin int64       // when the run started: every task's submit time (outcomes.go)
	gate  *phaseGate  // holds each "then" phase back until the one before is done
	race  *startGate  // holds the first adding tasks until all are ready to race
}

// check is called between tasks and between slices of CPU work: it returns the
// reason to stop once the run is cancelled or a worker has failed.
func (r *run) check() error {
	select {
	case <-r.done:
		return context.Cause(r.ctx)
	default:
		return nil
	}
}
