package cpython

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/procwatch"
	"github.com/coreography/coreography/internal/timeline"
)

// tracker turns the driver's records into what every Python thread was doing when:
// lanes for the threads that run tasks, and the step each was in, which the sampler
// asks about to tell a GIL wait from an I/O wait from idleness. Without a sampler the
// records alone draw the lanes (task spans, no cores).
type tracker struct {
	model     experiment.Model
	rec       *timeline.Recorder
	sampled   bool  // the sampler draws the lanes; records only say what a thread was in
	driverPID int32 // the interpreter the app started

	mu       sync.Mutex
	threads  map[[2]int32]*pyThread
	names    map[[2]int32]string
	workers  int
	tasks    []experiment.Task // the run's, in submission order: what each adds to the counter
	starts   map[int32]int64   // when each task began
	begin    int64             // when the run began: a cancelled task's submit time
	onMemory func(base int64)  // called with what the tree held before its pool (the M record)
}

type pyThread struct {
	lane     *timeline.Lane
	worker   bool
	marks    []mark // in time order: each holds until the next
	inflight int32  // tasks begun and not ended: many on an event loop's thread
}

// mark is a moment a thread started a step (kind c, i or h) or ended a task (kind 0).
type mark struct {
	t        int64
	task     int32
	kind     byte
	inflight int32 // the thread's tasks in flight from t on
}

func newTracker(model experiment.Model, rec *timeline.Recorder, sampled bool, driverPID int) *tracker {
	return &tracker{model: model, rec: rec, sampled: sampled, driverPID: int32(driverPID),
		threads: map[[2]int32]*pyThread{}, names: map[[2]int32]string{}, starts: map[int32]int64{}}
}

// ended records a task's outcome from its E record: done, or failed by a fail step
// whose exception surfaced at result().
func (tr *tracker) ended(task int32, t, submit int64, failed bool) {
	tr.mu.Lock()
	start := tr.starts[task]
	var adds int64
	if task >= 0 && int(task) < len(tr.tasks) {
		adds = tr.tasks[task].Increments()
	}
	tr.mu.Unlock()
	outcome := timeline.Done
	if failed {
		outcome = timeline.Failed
	}
	tr.rec.Finished(timeline.Result{Task: task, Outcome: outcome, Submit: submit, Start: start, End: t})
	tr.rec.AddIncrements(adds)
	tr.rec.Add(timeline.TasksDone, 1)
}

// cancelled records a task cancelled while still queued (a C record): it never ran.
func (tr *tracker) cancelled(task int32, t int64) {
	tr.mu.Lock()
	begin := tr.begin
	tr.mu.Unlock()
	tr.rec.Finished(timeline.Result{Task: task, Outcome: timeline.Cancelled, Submit: begin, End: t})
	tr.rec.Add(timeline.TasksDone, 1)
}

// began records when the run began (the R record).
func (tr *tracker) began(t int64) {
	tr.mu.Lock()
	tr.begin = t
	tr.mu.Unlock()
}

// memoryBase starts measuring memory from the base the driver read before its pool.
func (tr *tracker) memoryBase(base int64) {
	if tr.onMemory != nil && base > 0 {
		tr.onMemory(base)
	}
}

// step records that a worker thread entered a step of a task, or (kind 0) ended one.
func (tr *tracker) step(pid, tid int32, t, cpu int64, task int32, kind byte) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	th := tr.thread(pid, tid)
	if !th.worker {
		th.worker = true
		tr.workers++
		name := tr.workerName(pid)
		if th.lane == nil {
			th.lane = tr.rec.Lane(name)
		} else {
			th.lane.Rename(name)
		}
	}
	switch {
	case kind == 0:
		th.inflight--
	case len(th.marks) == 0 || th.marks[len(th.marks)-1].task != task || th.marks[len(th.marks)-1].kind == 0:
		th.inflight++ // a task's first step (a later step of the same task follows its mark)
		if _, ok := tr.starts[task]; !ok {
			tr.starts[task] = t
		}
	}
	th.marks = append(th.marks, mark{t: t, task: task, kind: kind, inflight: th.inflight})
	if tr.sampled {
		return
	}
	st := timeline.Idle
	switch kind {
	case 'c', 'x':
		st = timeline.Running
	case 'i', 'h':
		st = timeline.IO
	}
	th.lane.Append(timeline.Event{T: t, CPUTime: cpu, Task: task, PID: pid, TID: tid, CPU: timeline.NoCPU, State: st})
}

func (tr *tracker) thread(pid, tid int32) *pyThread {
	k := [2]int32{pid, tid}
	th := tr.threads[k]
	if th == nil {
		th = &pyThread{}
		tr.threads[k] = th
	}
	return th
}

// workerName names the next worker lane as the Go model of the same kind would.
func (tr *tracker) workerName(pid int32) string {
	switch tr.model {
	case experiment.PySerial:
		return "main"
	case experiment.PyAsyncio:
		return "loop"
	case experiment.PyProcesses, experiment.PyPool:
		return fmt.Sprintf("worker %d · pid %d", tr.workers, pid)
	}
	return fmt.Sprintf("T%d", tr.workers)
}

// named records a thread's Python name, for the lanes of threads that run no task
// (the main thread, a pool's feeder and result handlers).
func (tr *tracker) named(pid, tid int32, name string) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	k := [2]int32{pid, tid}
	tr.names[k] = name
	if th := tr.threads[k]; th != nil && th.lane != nil && !th.worker {
		th.lane.Rename(tr.helperName(pid, tid, ""))
	}
}

func (tr *tracker) helperName(pid, tid int32, comm string) string {
	name := tr.names[[2]int32{pid, tid}]
	switch {
	case name == "MainThread":
		name = "main"
	case name == "" && tid == pid:
		name = comm
	case name == "":
		name = strings.TrimSpace(comm + " tid " + fmt.Sprint(tid))
	}
	if pid != tr.driverPID {
		name += fmt.Sprintf(" · pid %d", pid)
	}
	return name
}

// Lane implements Observer: task threads have their lanes already; another thread
// gets one once it uses CPU during the run.
func (tr *tracker) Lane(pid, tid int32, comm string, ran bool) *timeline.Lane {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	th := tr.thread(pid, tid)
	if th.lane == nil && ran {
		th.lane = tr.rec.Lane(tr.helperName(pid, tid, comm))
	}
	return th.lane
}

// at is the mark in force at t, under tr.mu.
func (tr *tracker) at(pid, tid int32, t int64) mark {
	th := tr.threads[[2]int32{pid, tid}]
	if th == nil {
		return mark{task: timeline.NoTask}
	}
	i := sort.Search(len(th.marks), func(i int) bool { return th.marks[i].t > t }) - 1
	if i < 0 {
		return mark{task: timeline.NoTask}
	}
	return th.marks[i]
}

// Asleep implements Observer: asleep inside a cpu step is waiting for the GIL (the
// step's own code never sleeps), inside io or http is waiting on I/O, between tasks idle.
func (tr *tracker) Asleep(pid, tid int32, t int64, how procwatch.Sleep) (timeline.State, int32) {
	tr.mu.Lock()
	m := tr.at(pid, tid, t)
	tr.mu.Unlock()
	switch {
	case tr.model == experiment.PyAsyncio && m.inflight > 0:
		// The loop sleeps only when every coroutine in flight awaits I/O.
		return timeline.IO, timeline.NoTask
	case m.kind == 'c' || m.kind == 'x':
		// C code that let the GIL go sleeps only to take it back.
		return timeline.WaitGIL, m.task
	case m.kind == 'i' || m.kind == 'h' || how.InKernel:
		return timeline.IO, m.task
	}
	return timeline.Idle, timeline.NoTask
}

// Task implements Observer.
func (tr *tracker) Task(pid, tid int32, t int64) int32 {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if m := tr.at(pid, tid, t); m.kind != 0 {
		return m.task
	}
	return timeline.NoTask
}
