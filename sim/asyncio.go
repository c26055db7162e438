package sim

import (
	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// Program counters of the event loop.
const (
	pcLoopNext    = iota + 200 // resume the next ready coroutine, or wait
	pcLoopSteps                // run the current coroutine's steps until it awaits
	pcLoopWaiting              // idle: waiting for a timer or a response
	pcLoopWaking               // a completion came in; the idle loop wakes LoopWakeLate after
)

// loop is the asyncio engine: one thread runs every coroutine, all started at once
// (asyncio.gather), one phase after another. A coroutine runs until it awaits: cpu(d)
// blocks the loop, io(d) and http(d) suspend it until its completion comes in.
type loop struct {
	m        *machine
	prof     Profile
	tasks    taskList
	starts   []int
	phase    int
	th       *thread
	ready    []int32 // coroutines to resume, in order
	head     int
	next     []int32 // each coroutine's next step
	finished int
}

func newLoop(m *machine, spec experiment.Spec, prof Profile, tasks taskList) *loop {
	l := &loop{m: m, prof: prof, tasks: tasks, starts: spec.Tasks.PhaseStarts(), next: make([]int32, tasks.len())}
	m.advance, m.onEvent = l.advance, l.onEvent
	l.th = m.newThread("loop · sim", 1, 1)
	m.emit(l.th, timeline.Idle, timeline.NoTask, timeline.NoCPU)
	l.startPhase(0)
	l.th.pc = pcLoopNext
	m.schedule(0, l.th, evWait, 0)
	return l
}

func (l *loop) startPhase(k int) {
	l.phase = k
	end := l.tasks.len()
	if k+1 < len(l.starts) {
		end = l.starts[k+1]
	}
	for i := l.starts[k]; i < end; i++ {
		l.ready = append(l.ready, int32(i))
	}
}

// onEvent is a coroutine's io or http completion: back on the ready queue.
func (l *loop) onEvent(_ *thread, e event) {
	l.ready = append(l.ready, e.arg)
	if l.th.pc != pcLoopWaiting {
		return
	}
	if late := int64(l.prof.LoopWakeLate); late > 0 {
		l.th.pc = pcLoopWaking
		l.m.schedule(l.m.now+late, l.th, evWait, 0)
		return
	}
	l.th.pc = pcLoopNext
	l.advance(l.th)
}

func (l *loop) advance(th *thread) {
	m := l.m
	for {
		switch th.pc {
		case pcLoopNext:
			if l.head == len(l.ready) {
				l.ready, l.head = l.ready[:0], 0
				if l.finished == l.tasks.len() {
					m.exit(th)
					return
				}
				th.pc = pcLoopWaiting
				m.emit(th, timeline.Idle, timeline.NoTask, timeline.NoCPU)
				return
			}
			th.cur = l.ready[l.head]
			l.head++
			th.pc = pcLoopSteps
			if d := int64(l.prof.LoopStep); d > 0 {
				m.compute(th, d, timeline.Running, th.cur)
				return
			}
		case pcLoopSteps:
			i := th.cur
			steps := l.tasks.at(int(i)).Steps
			if int(l.next[i]) == len(steps) {
				l.finished++
				m.rec.Add(timeline.TasksDone, 1)
				if l.phase+1 < len(l.starts) && l.finished == l.starts[l.phase+1] {
					l.startPhase(l.phase + 1)
				}
				th.pc = pcLoopNext
				if d := int64(l.prof.LoopTaskEnd); d > 0 {
					m.compute(th, d, timeline.Running, i)
					return
				}
				continue
			}
			st := steps[l.next[i]]
			l.next[i]++
			switch st.Kind {
			case experiment.CPU:
				m.compute(th, l.prof.work(st.D), timeline.Running, i)
				return
			case experiment.IO:
				m.schedule(m.now+int64(st.D), th, evReady, i)
			default:
				m.schedule(m.now+int64(st.D+l.prof.HTTPLatency), th, evReady, i)
			}
			th.pc = pcLoopNext
		case pcLoopWaking:
			th.pc = pcLoopNext
		case pcLoopWaiting:
			return
		}
	}
}
