package sim

import (
	"slices"

	"github.com/coreography/coreography/internal/timeline"
)

// What a scheduled event does when its time comes.
type eventKind uint8

const (
	evCPU     eventKind = iota // a thread's CPU run ends: its work is done or its slice is up
	evWait                     // a thread's timed wait (io, http, start-up gap) ends
	evTimeout                  // a GIL waiter's switch interval is up
	evWake                     // a blocked thread is woken (GIL hand-off, phase, chunk)
	evReady                    // a coroutine's io is done: back on the event loop's queue
)

// event is one entry of the agenda. seq breaks ties in the order events were
// scheduled, so a run is the same every time.
type event struct {
	t    int64
	seq  uint64
	th   int32
	gen  uint32
	kind eventKind
	arg  int32
}

// agenda is a min-heap of events by (t, seq), written out rather than through
// container/heap: the simulator spends most of its time here and must keep its
// events-per-second floor (issue 10) on one core. Interface calls per comparison and
// a binary tree's extra levels cost more than that floor allows; a 4-ary heap halves
// the levels, and a node's four children share a cache line or two. The benchmark
// Benchmark64Cores100kTasks measures it; docs/performance.md has both figures.
type agenda []event

func (a event) before(b event) bool { return a.t < b.t || a.t == b.t && a.seq < b.seq }

func (h *agenda) push(e event) {
	*h = append(*h, e)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 4
		if !s[i].before(s[p]) {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

func (h *agenda) pop() event {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	for i := 0; ; {
		first := 4*i + 1
		if first >= len(s) {
			break
		}
		small := first
		for c := first + 1; c < min(first+4, len(s)); c++ {
			if s[c].before(s[small]) {
				small = c
			}
		}
		if !s[small].before(s[i]) {
			break
		}
		s[i], s[small] = s[small], s[i]
		i = small
	}
	*h = s
	return top
}

// thread is one simulated OS thread: a lane of the trace, and its program's place.
type thread struct {
	id       int32
	lane     *timeline.Lane
	pid, tid int32
	state    timeline.State // last recorded
	task     int32          // last recorded
	cpu      int16          // last recorded
	cpuTime  int64          // virtual CPU time used so far, stamped on every event

	// CPU: the current run of work, on a core or waiting for one.
	core      int            // -1 when not on a core
	lastCore  int            // the core it last ran on, -1 for none yet: where it wakes if that is free
	remaining int64          // ns of work left in the current CPU op
	opState   timeline.State // Running, Transfer or Starting: what the work is
	opTask    int32
	ranFrom   int64  // when it last got its core
	debt      int64  // CPU owed before its next work: the refill after a GIL switch
	gen       uint32 // bumped to cancel the pending evCPU / evTimeout of this thread
	queued    bool   // in the run queue

	// The model's program counter and registers.
	pc        int
	cur       int32 // task being run
	step      int   // next step of cur
	saved     int64 // GIL: switches when this wait began
	waiting   bool  // GIL: in the waiters queue
	holding   bool  // GIL: holds the lock
	interrupt bool  // GIL: a drop request reached it while it had no core
	done      bool
}

// machine is the virtual machine: a clock, cores with a FIFO run queue, and threads.
// A model drives it through compute, wait, block and the advance callback.
type machine struct {
	now     int64
	seq     uint64
	agenda  agenda
	cores   []int32 // thread on each core, -1 when free
	free    []int   // free cores, the one idle longest first (core 0 first at the start)
	runq    []int32 // ready threads waiting for a core, first in first out
	slice   int64
	threads []*thread
	events  int64 // agenda entries processed, for the events-per-second benchmark
	rec     *timeline.Recorder

	laneEvents int // about how many events each lane will hold, reserved up front

	advance func(th *thread)          // the model: th's last op finished, give it its next
	onEvent func(th *thread, e event) // the model's own kinds (evTimeout, evWake, evReady)
	onCore  func(th *thread) bool     // called when a thread gets a core; true: it let the core go
}

func newMachine(cores int, slice int64, rec *timeline.Recorder, laneEvents int) *machine {
	m := &machine{cores: make([]int32, cores), slice: max(slice, 1), rec: rec, laneEvents: laneEvents}
	for i := range m.cores {
		m.cores[i] = -1
		m.free = append(m.free, i)
	}
	return m
}

// newThread adds a lane named name; pid and tid are the model's own numbers.
func (m *machine) newThread(name string, pid, tid int32) *thread {
	th := &thread{id: int32(len(m.threads)), lane: m.rec.Lane(name), pid: pid, tid: tid,
		core: -1, lastCore: -1, state: timeline.Off, task: timeline.NoTask, cpu: timeline.NoCPU, cur: timeline.NoTask}
	th.lane.Reserve(m.laneEvents)
	m.threads = append(m.threads, th)
	return th
}

// newHiddenThread adds a thread with no lane: it takes cores but draws nothing.
func (m *machine) newHiddenThread() *thread {
	th := &thread{id: int32(len(m.threads)), core: -1, lastCore: -1, state: timeline.Off, task: timeline.NoTask, cpu: timeline.NoCPU, cur: timeline.NoTask}
	m.threads = append(m.threads, th)
	return th
}

func (m *machine) schedule(t int64, th *thread, kind eventKind, arg int32) {
	m.seq++
	m.agenda.push(event{t: t, seq: m.seq, th: th.id, gen: th.gen, kind: kind, arg: arg})
}

// emit records that th is now in state st on task at core cpu, unless nothing changed.
func (m *machine) emit(th *thread, st timeline.State, task int32, cpu int16) {
	if st == th.state && task == th.task && cpu == th.cpu {
		return
	}
	th.state, th.task, th.cpu = st, task, cpu
	if th.lane == nil {
		return
	}
	th.lane.Append(timeline.Event{T: m.now, CPUTime: th.cpuTime, Task: task, PID: th.pid, TID: th.tid, CPU: cpu, State: st})
}

// compute gives th d ns of work in state st (Running, Transfer or Starting). It takes a
// free core or queues for one, shown as Preempted; advance is called when it is done.
func (m *machine) compute(th *thread, d int64, st timeline.State, task int32) {
	th.remaining, th.opState, th.opTask = max(d, 0)+th.debt, st, task
	th.debt = 0
	m.ready(th)
}

// ready puts th on a free core, or at the back of the run queue. As an OS does, it
// wakes on the core it last ran on when that one is free (its cache is there), and
// otherwise on the core idle longest: runnable threads spread over the free cores,
// and a thread that waited may move. (Taking the core freed last instead put every
// thread of a GIL run on core 0, as if the lock pinned a core.)
func (m *machine) ready(th *thread) {
	if len(m.free) > 0 {
		m.run(th, m.takeFree(th.lastCore))
		return
	}
	th.queued = true
	m.runq = append(m.runq, th.id)
	m.emit(th, timeline.Preempted, th.opTask, timeline.NoCPU)
}

// run starts th's work on core c until the work or its slice ends.
func (m *machine) run(th *thread, c int) {
	m.cores[c], th.core, th.lastCore, th.ranFrom, th.queued = th.id, c, c, m.now, false
	if m.onCore != nil && m.onCore(th) {
		return
	}
	m.emit(th, th.opState, th.opTask, int16(c))
	m.schedule(m.now+min(th.remaining, m.slice), th, evCPU, 0)
}

// stop takes th off its core, keeping the work it has left, and gives the core on.
func (m *machine) stop(th *thread) {
	th.remaining -= m.now - th.ranFrom
	th.cpuTime += m.now - th.ranFrom
	th.gen++ // its pending evCPU is stale now
	c := th.core
	th.core = -1
	m.release(c)
	m.next(c)
}

// takeFree takes core want off the free list when it is there, else the core idle
// longest. The list must not be empty.
func (m *machine) takeFree(want int) int {
	at := 0
	if want >= 0 && m.cores[want] < 0 {
		at = slices.Index(m.free, want)
	}
	c := m.free[at]
	m.free = slices.Delete(m.free, at, at+1)
	return c
}

// release marks core c free.
func (m *machine) release(c int) {
	m.cores[c] = -1
	m.free = append(m.free, c)
}

// next gives a free core (c, when still free) to the first thread in the run queue.
func (m *machine) next(c int) {
	if len(m.runq) == 0 || m.cores[c] >= 0 {
		return
	}
	m.takeFree(c) // c is on the free list, most likely last
	id := m.runq[0]
	m.runq = m.runq[1:]
	if len(m.runq) == 0 {
		m.runq = m.runq[:0:0]
	}
	m.run(m.threads[id], c)
}

// cpuDone handles the end of a run on a core: the work is done, or the slice is up and
// another thread is waiting, so th goes to the back of the queue.
func (m *machine) cpuDone(th *thread) {
	ran := m.now - th.ranFrom
	th.remaining -= ran
	th.cpuTime += ran
	if th.remaining > 0 {
		if len(m.runq) == 0 {
			th.ranFrom = m.now
			m.schedule(m.now+min(th.remaining, m.slice), th, evCPU, 0)
			return
		}
		c := th.core
		th.core = -1
		m.release(c)
		th.queued = true
		m.runq = append(m.runq, th.id)
		m.emit(th, timeline.Preempted, th.opTask, timeline.NoCPU)
		m.next(c)
		return
	}
	c := th.core
	th.core = -1
	m.release(c)
	th.remaining = 0
	m.advance(th)
	m.next(c) // after advance: a thread continuing with more work keeps the core it has
}

// wait blocks th for d ns in state st (IO, Idle); advance is called after.
// cpu is CPU time the thread spends during the wait without competing for a core
// (an http client's few µs of work around its request).
func (m *machine) wait(th *thread, d, cpu int64, st timeline.State, task int32) {
	m.emit(th, st, task, timeline.NoCPU)
	th.cpuTime += cpu // after the event: it is the wait's span that used it
	m.schedule(m.now+max(d, 0), th, evWait, 0)
}

// exit ends th's lane.
func (m *machine) exit(th *thread) {
	th.done = true
	m.emit(th, timeline.Off, timeline.NoTask, timeline.NoCPU)
}

// loop runs the agenda until it is empty or stop says so between events.
func (m *machine) loop(stop func() bool) bool {
	for len(m.agenda) > 0 {
		if m.events&0xfff == 0 && stop() {
			return false
		}
		e := m.agenda.pop()
		m.events++
		m.now = e.t
		th := m.threads[e.th]
		switch e.kind {
		case evCPU:
			if e.gen == th.gen && th.core >= 0 {
				m.cpuDone(th)
			}
		case evWait:
			m.advance(th)
		default:
			m.onEvent(th, e)
		}
	}
	return true
}
