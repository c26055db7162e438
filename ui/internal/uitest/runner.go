// Package uitest holds what the ui packages' tests share: a fake Runner that records
// a plausible run without engines, so screens and goldens are testable and stable.
package uitest

import (
	"context"
	"fmt"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// Runner records a made-up but plausible run of a spec, the same for every call,
// so screens are testable (and goldens stable) without real engines. Times start at
// Begin, workers sit on cores by lane number, and a GIL run hands the lock over
// every switch interval.
type Runner struct {
	Gate chan struct{} // when set, Run records everything, then waits here (or for ctx) before finishing: a live run
	Err  error         // returned after recording, as an engine failing part-way would
}

// Begin is when every fake run begins.
const Begin = int64(1_000_000_000)

// Run records spec into rec.
func (f *Runner) Run(ctx context.Context, spec experiment.Spec, rec *timeline.Recorder) error {
	spec = spec.Normalized()
	rec.Begin(Begin)
	end := fakeRecord(spec, rec)
	if f.Gate != nil {
		select {
		case <-f.Gate:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if f.Err != nil {
		return f.Err
	}
	rec.Finish(end)
	return nil
}

// fakeWorker is one lane of the made-up run.
type fakeWorker struct {
	lane  *timeline.Lane
	tid   int32
	cpu   int16
	now   int64 // ns since Begin
	used  int64 // CPU time so far
	state timeline.State
}

func (w *fakeWorker) enter(st timeline.State, task int, t int64) {
	w.lane.Append(timeline.Event{T: Begin + t, CPUTime: w.used, Task: int32(task), PID: 4242, TID: w.tid, CPU: w.cpu, State: st})
	w.state = st
}

// do spends d in the state a step of kind k puts a worker in, counting CPU time.
func (w *fakeWorker) do(k experiment.Kind, d time.Duration, task int) {
	st := timeline.Running
	if k != experiment.CPU {
		st = timeline.IO
	}
	if w.state != st || st == timeline.Running {
		w.enter(st, task, w.now)
	}
	w.now += int64(d)
	if st == timeline.Running {
		w.used += int64(d)
	}
}

func fakeRecord(spec experiment.Spec, rec *timeline.Recorder) int64 {
	tasks := spec.Tasks.List()
	workers := make([]*fakeWorker, spec.Workers)
	for i := range workers {
		name := fmt.Sprintf("T%d", i+1)
		switch spec.Model {
		case experiment.Processes:
			name = fmt.Sprintf("worker %d · pid %d", i+1, 5000+i)
		case experiment.Asyncio:
			name = "loop"
		}
		workers[i] = &fakeWorker{lane: rec.Lane(name), tid: int32(100 + i), cpu: int16(i % 2)}
		if spec.Cores == 1 {
			workers[i].cpu = 0
		}
	}
	if spec.Model == experiment.GIL {
		return fakeGIL(spec, rec, workers, tasks)
	}
	for _, w := range workers {
		if spec.Model == experiment.Processes {
			w.enter(timeline.Starting, timeline.NoTask, 0)
			w.now += int64(20 * time.Millisecond)
			w.used += int64(20 * time.Millisecond)
		}
		w.enter(timeline.Idle, timeline.NoTask, w.now)
	}
	for i, t := range tasks {
		w := workers[0] // the worker free first takes the next task
		for _, o := range workers {
			if o.now < w.now {
				w = o
			}
		}
		if spec.Model == experiment.Processes {
			w.enter(timeline.Transfer, i, w.now)
			w.now += int64(time.Millisecond)
			rec.Add(timeline.IPCBytes, 1024)
		}
		for _, s := range t.Steps {
			w.do(s.Kind, s.D, i)
		}
		w.enter(timeline.Idle, timeline.NoTask, w.now)
		rec.Add(timeline.TasksDone, 1)
	}
	var end int64
	for _, w := range workers {
		end = max(end, w.now)
	}
	for _, w := range workers {
		w.enter(timeline.Off, timeline.NoTask, end)
	}
	return Begin + end
}

// fakeGIL lets one worker at a time compute, handing the lock to the next waiting
// worker every switch interval, as CPython does.
func fakeGIL(spec experiment.Spec, rec *timeline.Recorder, workers []*fakeWorker, tasks []experiment.Task) int64 {
	jobs := make([]*fakeJob, len(workers))
	next := 0
	take := func(i int) {
		jobs[i] = nil
		if next < len(tasks) {
			j := &fakeJob{task: next}
			for _, s := range tasks[next].Steps {
				j.left = append(j.left, s.D)
			}
			jobs[i], next = j, next+1
		}
	}
	for i := range workers {
		if take(i); jobs[i] != nil {
			workers[i].enter(timeline.WaitGIL, jobs[i].task, 0)
		}
	}
	var now int64
	holder := 0
	for {
		busy := false
		for _, j := range jobs {
			busy = busy || j != nil
		}
		if !busy {
			break
		}
		for jobs[holder] == nil {
			holder = (holder + 1) % len(workers)
		}
		w, j := workers[holder], jobs[holder]
		w.now = now
		slice := min(j.left[0], spec.SwitchInterval)
		w.do(experiment.CPU, slice, j.task)
		now, j.left[0] = w.now, j.left[0]-slice
		if j.left[0] == 0 {
			j.left = j.left[1:]
		}
		if len(j.left) == 0 {
			rec.Add(timeline.TasksDone, 1)
			take(holder)
		}
		nextHolder := (holder + 1) % len(workers)
		for n := 0; n < len(workers) && jobs[nextHolder] == nil; n++ {
			nextHolder = (nextHolder + 1) % len(workers)
		}
		if jobs[holder] != nil {
			w.enter(timeline.WaitGIL, jobs[holder].task, now)
		} else if w.state != timeline.Off {
			w.enter(timeline.Off, timeline.NoTask, now)
		}
		if nextHolder != holder {
			rec.Add(timeline.GILSwitches, 1)
		}
		holder = nextHolder
	}
	return Begin + now
}

// fakeJob is a task a GIL worker is part-way through: the steps' time still to do.
type fakeJob struct {
	task int
	left []time.Duration
}
