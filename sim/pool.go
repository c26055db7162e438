package sim

import (
	"strconv"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// Program counters of a pool thread (serial, threads, gil): what to do when the
// current op (work, a wait, getting the GIL) is over.
const (
	pcStart    = iota // the thread exists: take the GIL if there is one, then tasks
	pcNextTask        // take the next task from the shared queue
	pcStep            // do the next step of the current task
	pcAfterIO         // an io or http wait ended: take the GIL back, then the next step
	pcGated           // the task's phase has opened: take the GIL back, then its steps
	pcResume          // GIL: got the lock back after a forced drop: finish the interrupted work
	pcBlocked         // waiting to be woken by the model
	pcStartIO         // GIL: released the lock before an io step; now start the wait
)

// pool is the serial, threads and gil engines: threads taking tasks from one queue.
type pool struct {
	m     *machine
	prof  Profile
	tasks taskList
	gate  *gate
	next  int
	gil   *gil // nil: no lock (serial, threads)
	gated []*thread
}

// threadNames match pools: T1, T2, …, or main for serial.
func poolNames(spec experiment.Spec) []string {
	if spec.Model == experiment.Serial {
		return []string{"main"}
	}
	names := make([]string, spec.Workers)
	for i := range names {
		names[i] = "T" + strconv.Itoa(i+1)
	}
	return names
}

func newPool(m *machine, spec experiment.Spec, prof Profile, tasks taskList) *pool {
	p := &pool{m: m, prof: prof, tasks: tasks, gate: newGate(spec.Tasks.PhaseStarts())}
	if spec.Model == experiment.GIL {
		p.gil = newGIL(m, int64(spec.SwitchInterval), prof)
	}
	m.advance = p.advance
	m.onEvent = p.onEvent
	if p.gil != nil {
		m.onCore = p.gil.onCore
	}
	for i, name := range poolNames(spec) {
		th := m.newThread(name+" · sim", 1, int32(i+1))
		m.emit(th, timeline.Idle, timeline.NoTask, timeline.NoCPU)
		th.pc = pcStart
		m.schedule(0, th, evWait, 0)
	}
	return p
}

// advance moves a pool thread's program on until it waits for something.
func (p *pool) advance(th *thread) {
	for p.next1(th) {
	}
}

// next1 takes one step of th's program and reports whether another follows at once.
func (p *pool) next1(th *thread) bool {
	switch th.pc {
	case pcStart:
		th.pc = pcNextTask
		return p.gil == nil || p.gil.acquire(th, pcNextTask)
	case pcNextTask:
		return p.takeTask(th)
	case pcGated, pcAfterIO: // the phase opened, or the I/O is done: take the GIL back
		th.pc = pcStep
		return p.gil == nil || p.gil.acquire(th, pcStep)
	case pcStep:
		return p.step(th)
	case pcStartIO:
		p.startIO(th, p.tasks.at(int(th.cur)).Steps[th.step-1])
	case pcResume:
		p.m.compute(th, th.remaining, timeline.Running, th.cur)
		th.pc = pcStep
	case pcReacquire:
		p.gil.acquireThen(th)
	}
	return false
}

// takeTask takes the next task from the queue, or ends the thread when none is left.
// A task whose phase has not opened holds the thread back, idle and without the GIL.
func (p *pool) takeTask(th *thread) bool {
	m := p.m
	if p.next >= p.tasks.len() {
		p.finish(th)
		return false
	}
	th.cur, th.step = int32(p.next), 0
	p.next++
	if !p.gate.open(int(th.cur)) {
		m.emit(th, timeline.Idle, timeline.NoTask, timeline.NoCPU)
		p.gated = append(p.gated, th)
		if p.gil != nil {
			// Not a forced switch: pools' drop would wait for a taker only if a
			// drop request is pending, and the thread is about to block anyway.
			p.gil.release(th, false, pcBlocked)
		}
		th.pc = pcBlocked
		return false
	}
	th.pc = pcStep
	if d := int64(p.prof.TaskDispatch); d > 0 {
		m.compute(th, d, timeline.Running, th.cur)
		return false
	}
	return true
}

// step does the current task's next step, or counts the task done after its last.
func (p *pool) step(th *thread) bool {
	m := p.m
	steps := p.tasks.at(int(th.cur)).Steps
	if th.step == len(steps) {
		m.rec.Add(timeline.TasksDone, 1)
		p.finished(1)
		th.pc = pcNextTask
		return true
	}
	st := steps[th.step]
	th.step++
	if st.Kind == experiment.CPU {
		m.compute(th, p.prof.work(st.D), timeline.Running, th.cur)
		return false
	}
	// The lane leaves Running before the lock goes, as in pools.
	m.emit(th, timeline.IO, th.cur, timeline.NoCPU)
	if p.gil != nil && !p.gil.release(th, true, pcStartIO) {
		return false // forced to wait until another thread takes the lock; the I/O starts after
	}
	p.startIO(th, st)
	return false
}

// startIO waits out an io or http step; http adds the loopback request's own latency.
func (p *pool) startIO(th *thread, st experiment.Step) {
	d, cpu := int64(st.D), int64(0)
	if st.Kind == experiment.HTTP {
		d += int64(p.prof.HTTPLatency)
		cpu = int64(p.prof.HTTPCPU)
	}
	th.pc = pcAfterIO
	p.m.wait(th, d, cpu, timeline.IO, th.cur)
}

func (p *pool) onEvent(th *thread, e event) {
	switch e.kind {
	case evTimeout, evWake:
		p.gil.onEvent(th, e)
	}
}

// finished counts tasks done and wakes the threads held back by a phase that opened.
func (p *pool) finished(n int) {
	if !p.gate.finished(n) {
		return
	}
	still := p.gated[:0]
	for _, th := range p.gated {
		if p.gate.open(int(th.cur)) {
			th.pc = pcGated
			p.m.schedule(p.m.now, th, evWait, 0)
		} else {
			still = append(still, th)
		}
	}
	p.gated = still
}

// finish ends a thread with no task left: it lets the GIL go for good, as pools' exit.
func (p *pool) finish(th *thread) {
	if p.gil != nil && th.holding {
		p.m.emit(th, timeline.Idle, timeline.NoTask, timeline.NoCPU)
		p.gil.release(th, false, pcBlocked)
	}
	p.m.exit(th)
}
