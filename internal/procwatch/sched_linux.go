package procwatch

import (
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/coreography/coreography/internal/timeline"
)

// maxGILSleep is the longest single sleep that can be a wait for the GIL: CPython's
// waiters sleep a switch interval at a time (5 ms unless the program changes it) and
// then ask the holder to drop it. A longer sleep (a join, a queue, I/O) is not one.
const maxGILSleep = int64(20 * time.Millisecond)

// prev_state bits of sched_switch (the kernel's TASK_* report bits).
const (
	taskStateMask = 0xff
	taskDisk      = 0x02 // D: uninterruptible, I/O
	taskStopped   = 0x04 | 0x08
)

// schedState follows one tree's tasks through the scheduler's records.
type schedState struct {
	rec   *timeline.Recorder
	obs   Observer
	ev    *eventReader
	tasks map[int32]*task
	tgid  map[int32]int32 // tid → process, learned from each record's running task
	procs map[int32]*schedProc
	root  int32

	rootExec, rootExecCPU, cpu0 int64
	rootComm                    string
	rootExecs                   int
}

// task is one tracked thread.
type task struct {
	tid, pid  int32 // pid is 0 until a record shows which process the thread is in
	comm      string
	lane      *timeline.Lane
	state     timeline.State
	since     int64 // when its current state began
	runtime   int64 // CPU used so far
	sleepFrom int64 // asleep since; 0 when not
	undecided bool  // asleep in a CPython process: the kind of sleep is known at wake-up
	gilWoken  bool  // its current run follows a wait for the GIL
	// A wake-up recorded while it was still on its core, on its way to sleep: the
	// waker's ids, for the switch-out that follows.
	earlyWaker [2]int32
	wokenEarly bool
	exited     bool
	pending    []timeline.Event // before its process is known
	last       timeline.Event
	drawn      bool
}

// schedProc is one tracked process's GIL bookkeeping.
type schedProc struct {
	python  bool
	running int   // its threads on a core now
	lastOff int64 // when one of its threads last left a core
	holder  int32 // the thread that last ran long enough to have held the GIL
}

func newSchedState(rec *timeline.Recorder, obs Observer, ev *eventReader) *schedState {
	return &schedState{rec: rec, obs: obs, ev: ev, tasks: map[int32]*task{}, tgid: map[int32]int32{}, procs: map[int32]*schedProc{}}
}

// track starts following a thread; running says it may be on a core already.
func (s *schedState) track(pid, tid int32, attached bool) {
	if s.root == 0 {
		s.root = pid
	}
	tk := &task{tid: tid, pid: pid, state: timeline.Preempted, since: timeline.Now(), comm: threadComm(pid, tid)}
	if attached {
		tk.state = timeline.Idle
	}
	s.tasks[tid] = tk
	s.tgid[tid] = pid
}

// learn notes which process the record's running task is in.
func (s *schedState) learn(r *record) {
	if r.tid != 0 {
		s.tgid[r.tid] = r.pid
	}
}

// apply follows one record.
func (s *schedState) apply(r *record) {
	switch schedEvents[r.kind] {
	case "sched_switch":
		s.switchOut(r.a, r.t, r.state)
		s.switchIn(r.b, r.t, r.cpu)
	case "sched_waking":
		s.woken(r.a, r.pid, r.tid, r.t)
	case "sched_process_fork":
		if s.tasks[r.tid] != nil && s.tasks[r.a] == nil {
			tk := &task{tid: r.a, state: timeline.Preempted, since: r.t, comm: s.tasks[r.tid].comm}
			s.tasks[r.a] = tk
			s.emit(tk, timeline.Event{T: r.t, State: timeline.Preempted, CPU: timeline.NoCPU})
		}
	case "sched_process_exec":
		s.exec(r)
	case "sched_process_exit":
		if tk := s.tasks[r.tid]; tk != nil {
			tk.exited = true
		}
	}
}

func (s *schedState) switchOut(tid int32, t int64, prevState int64) {
	tk := s.tasks[tid]
	if tk == nil {
		return
	}
	p := s.proc(tk)
	if tk.state != timeline.Running { // on a core since before it was tracked
		tk.since = max(tk.since, s.ev.begin.Load())
		s.emit(tk, timeline.Event{T: tk.since, State: timeline.Running, CPU: timeline.NoCPU})
		p.running++
	}
	ran := t - tk.since
	tk.runtime += max(ran, 0)
	p.running--
	p.lastOff = t
	s.countHolder(tk, p, ran, t)
	st := prevState & taskStateMask
	switch {
	case tk.exited:
		s.set(tk, t, timeline.Off)
		delete(s.tasks, tid)
	case st == 0:
		s.set(tk, t, timeline.Preempted)
	case st&taskDisk != 0:
		tk.sleepFrom = t
		s.set(tk, t, timeline.IO)
	case st&taskStopped != 0 || p == nil || !p.python:
		tk.sleepFrom = t
		s.set(tk, t, timeline.Idle)
	default:
		tk.sleepFrom, tk.undecided, tk.state, tk.since = t, true, timeline.Idle, t
	}
	if tk.wokenEarly && tk.sleepFrom == t {
		s.woken(tid, tk.earlyWaker[0], tk.earlyWaker[1], t)
	}
	tk.wokenEarly = false
}

// countHolder counts a GIL hand-off in a CPython process: a thread that ran long
// enough to have held the GIL, other than the last such thread, whose run followed a
// wait for the GIL (perhaps cut by a preemption). Threads time-sliced on a core
// (preempted, not asleep) take the core, not the GIL, and are not counted.
func (s *schedState) countHolder(tk *task, p *schedProc, ran, t int64) {
	if p == nil || !p.python || ran < ranAtLeast {
		return
	}
	if tk.gilWoken && p.holder != tk.tid && p.holder != 0 && t > s.ev.begin.Load() {
		s.rec.Add(timeline.GILSwitches, 1)
	}
	// Its wait for the GIL is spent: a run after being preempted follows a wait for
	// a core, and takes no GIL from anyone.
	p.holder, tk.gilWoken = tk.tid, false
}

func (s *schedState) switchIn(tid int32, t int64, cpu int16) {
	tk := s.tasks[tid]
	if tk == nil {
		return
	}
	if tk.undecided { // woken unseen: not a wait for the GIL the records can show
		s.decide(tk, tk.sleepFrom, false)
	}
	tk.sleepFrom = 0
	if tk.state == timeline.Preempted && tk.since >= s.ev.begin.Load() {
		s.rec.Add(timeline.RunQueue, t-tk.since) // waited for a core
	}
	if p := s.proc(tk); p != nil {
		p.running++
	}
	tk.state, tk.since = timeline.Running, t
	s.emit(tk, timeline.Event{T: t, State: timeline.Running, CPU: cpu})
}

// woken follows a wake-up of tid by the task (wakerPID, wakerTID). A sleep in a
// CPython process short enough to be one of the GIL's timed waits, ended by another
// of its threads or spent while another of its threads ran, is a wait for the GIL.
func (s *schedState) woken(tid, wakerPID, wakerTID int32, t int64) {
	tk := s.tasks[tid]
	if tk != nil && tk.sleepFrom == 0 && tk.state == timeline.Running {
		// A waker that finds it still on the core, going to sleep, records the wake-up
		// before the switch-out: that sleep ends as it begins.
		tk.wokenEarly, tk.earlyWaker = true, [2]int32{wakerPID, wakerTID}
		return
	}
	if tk == nil || tk.sleepFrom == 0 {
		return
	}
	if tk.undecided {
		p := s.proc(tk)
		peer := wakerPID == tk.pid && wakerTID != tid
		peerRan := p != nil && (p.running > 0 || p.lastOff > tk.sleepFrom)
		s.decide(tk, tk.sleepFrom, t-tk.sleepFrom <= maxGILSleep && (peer || peerRan))
	}
	tk.sleepFrom = 0
	s.set(tk, t, timeline.Preempted) // runnable: waiting for a core until switched in
}

// decide draws an undecided sleep from its start.
func (s *schedState) decide(tk *task, from int64, gil bool) {
	tk.undecided, tk.gilWoken = false, gil
	st := timeline.Idle
	if gil {
		st = timeline.WaitGIL
	}
	s.set(tk, from, st)
}

// sweep draws as asleep every undecided sleep already too long to be a GIL wait.
func (s *schedState) sweep(now int64) {
	for _, tk := range s.tasks {
		if tk.undecided && now-tk.sleepFrom > maxGILSleep {
			s.decide(tk, tk.sleepFrom, false)
		}
	}
}

// set moves a task to state st at t.
func (s *schedState) set(tk *task, t int64, st timeline.State) {
	tk.state, tk.since = st, t
	s.emit(tk, timeline.Event{T: t, State: st, CPU: timeline.NoCPU})
}

// emit appends an event to the task's lane, filling in what the task knows; until
// its process is known the events wait.
func (s *schedState) emit(tk *task, e timeline.Event) {
	e.CPUTime, e.TID, e.Task = tk.runtime, tk.tid, timeline.NoTask
	if tk.lane == nil && !s.laneFor(tk) {
		tk.pending = append(tk.pending, e)
		return
	}
	e.PID = tk.pid
	if tk.drawn && tk.last.State == e.State && tk.last.CPU == e.CPU {
		return
	}
	tk.lane.Append(e)
	tk.last, tk.drawn = e, true
}

// laneFor makes the task's lane once its process is known, and draws what waited.
func (s *schedState) laneFor(tk *task) bool {
	if tk.pid == 0 {
		pid, ok := s.tgid[tk.tid]
		if !ok {
			return false
		}
		tk.pid = pid
	}
	if tk.tid == tk.pid {
		s.ev.mu.Lock()
		s.ev.pids = append(s.ev.pids, tk.pid)
		s.ev.mu.Unlock()
	}
	s.proc(tk)
	tk.lane = s.obs.Lane(tk.pid, tk.tid, tk.comm, true)
	for _, e := range tk.pending {
		e.PID = tk.pid
		tk.lane.Append(e)
		tk.last, tk.drawn = e, true
	}
	tk.pending = nil
	return true
}

// proc is the task's process's bookkeeping, nil while its process is unknown.
func (s *schedState) proc(tk *task) *schedProc {
	if tk.pid == 0 {
		if pid, ok := s.tgid[tk.tid]; ok {
			tk.pid = pid
		} else {
			return nil
		}
	}
	p := s.procs[tk.pid]
	if p == nil {
		p = &schedProc{python: IsPython(int(tk.pid))}
		s.procs[tk.pid] = p
	}
	return p
}

// exec follows a task replacing its program: a new name, perhaps CPython now.
func (s *schedState) exec(r *record) {
	tk := s.tasks[r.tid]
	if tk == nil {
		return
	}
	comm := filepath.Base(r.name)
	if len(comm) > 15 {
		comm = comm[:15] // the kernel's limit on a task's name
	}
	tk.comm = comm
	if p := s.proc(tk); p != nil {
		p.python = p.python || strings.HasPrefix(comm, "python") || IsPython(int(tk.pid))
	}
	if r.tid == s.root {
		// The root's first exec is the command starting; a later one is a wrapper
		// (a pyenv shim, env) replacing itself with the program.
		if s.rootExecs++; s.rootExecs > 1 {
			s.rootExec, s.rootComm, s.rootExecCPU = r.t, comm, threadCPU()
		}
	}
	if w, ok := s.obs.(*watchObserver); ok && tk.lane != nil {
		w.rename(tk.pid, comm)
	}
}

// closeAll ends every lane at t with its thread's CPU then.
func (s *schedState) closeAll(t int64) {
	for _, tk := range s.tasks {
		if tk.pid == 0 {
			if _, ok := s.tgid[tk.tid]; !ok {
				s.tgid[tk.tid] = tk.tid // never seen running: a process of its own
			}
		}
		if tk.state == timeline.Running {
			tk.runtime += max(t-tk.since, 0)
		}
		s.set(tk, t, timeline.Off)
	}
}

// threadComm is a thread's name from /proc, or "" once it has gone.
func threadComm(pid, tid int32) string {
	buf := make([]byte, 64)
	n, ok := readSmall("/proc/"+itoa(int(pid))+"/task/"+itoa(int(tid))+"/comm", buf)
	if !ok {
		return ""
	}
	return strings.TrimSpace(string(buf[:n]))
}

func itoa(n int) string { return strconv.Itoa(n) }

func atoi(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil
}
