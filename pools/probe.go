package pools

import (
	"os"

	"github.com/coreography/coreography/internal/timeline"
)

// sink receives a worker's events: a *timeline.Lane in this process, or the pipe back
// to the parent in a worker subprocess.
type sink interface{ Append(timeline.Event) }

// sampleEvery is how often a computing worker reads its core and CPU clock: often
// enough to split a span when the OS moves it, rare enough to cost well under 1 %.
const sampleEvery = 100_000 // ns

// preemptedAfter is how much more wall time than CPU time a sample interval must show
// before the worker is drawn as preempted: a core's worth of someone else's work, not
// a cache miss.
const preemptedAfter = 150_000 // ns

// probe stamps one worker's events with the clock, its thread's CPU time and its core.
// It belongs to one OS thread: make it on the thread whose work it records, after
// runtime.LockOSThread.
type probe struct {
	out      sink
	pid, tid int32
	state    timeline.State
	task     int32
	cpu      int16
	sampled  int64 // when cpu and cpuTime were last read
	cpuTime  int64
}

func newProbe(out sink) *probe {
	p := &probe{out: out, pid: int32(os.Getpid()), tid: int32(threadID()), task: timeline.NoTask}
	p.sample(timeline.Now())
	return p
}

// reserve makes room for about n events where the sink can (a timeline.Lane).
func (p *probe) reserve(n int) {
	if l, ok := p.out.(interface{ Reserve(int) }); ok {
		l.Reserve(min(n, 1<<17))
	}
}

func (p *probe) sample(now int64) {
	p.sampled, p.cpuTime, p.cpu = now, threadCPUTime(), currentCPU()
}

// enter records that the worker now does st on task. Reading the CPU clock and core
// costs a system call each, so a change of task within the same on-CPU state reuses
// a sample younger than sampleEvery: that keeps tiny tasks cheap.
func (p *probe) enter(st timeline.State, task int32) {
	now := timeline.Now()
	if st.OnCPU() != p.state.OnCPU() || now-p.sampled >= sampleEvery || st == timeline.Off {
		p.sample(now)
	}
	p.state, p.task = st, task
	p.emit(now)
}

func (p *probe) emit(t int64) {
	p.out.Append(timeline.Event{T: t, CPUTime: p.cpuTime, Task: p.task, PID: p.pid, TID: p.tid, CPU: p.cpu, State: p.state})
}

// tick is called while computing. Every sampleEvery it reads the core and CPU clock:
// if the OS moved the thread, the span splits; if the thread got much less CPU than
// wall time, it was waiting for a core, and that stretch is drawn as preempted.
func (p *probe) tick() {
	now := timeline.Now()
	if now-p.sampled < sampleEvery {
		return
	}
	was, wasCPU, wasAt := p.cpuTime, p.cpu, p.sampled
	p.sample(now)
	if was >= 0 && p.cpuTime >= 0 {
		ran := p.cpuTime - was
		if now-wasAt-ran > preemptedAfter {
			st := p.state
			p.state, p.cpuTime = timeline.Preempted, was+ran
			p.emit(wasAt + ran)
			p.state = st
			p.emit(now)
			return
		}
	}
	if p.cpu != wasCPU {
		p.emit(now)
	}
}
