package sim

import (
	"fmt"
	"time"

	"github.com/coreography/coreography/experiment"
	"github.com/coreography/coreography/timeline"
)

// How much a process pool keeps queued at each worker: pools/processes.go's rule.
const (
	minQueued  = 1
	maxQueued  = 512
	queueAhead = int64(2 * time.Millisecond)
)

// Program counters of a worker process.
const (
	pcSpawn     = iota + 100 // its turn on the parent's spawning thread
	pcStarted                // start-up done: take chunks
	pcTaskStart              // begin task cur of the chunk
	pcTaskStep               // the next step of task cur
	pcTaskOut                // the task's out payload is sent: next task
	pcChunkDone              // results encoded and written: the parent has them
	pcIdle                   // waiting for a chunk
)

// chunk is tasks[first:first+n], sent to one worker as one frame.
type chunk struct {
	first, n int
	work     int64 // planned work, for the queue-ahead rule
	arrives  int64 // when the worker can read it
}

// procWorker is one worker process's side: its queue of chunks sent and not done.
type procWorker struct {
	th       *thread
	num      int
	queue    []chunk // sent to it, oldest first; queue[0] is in progress when busy
	inflight int
	queued   int64
	busy     bool
}

// procs is the processes engine: long-lived workers fed chunks by one parent, or with
// Fresh one new process per task. The parent has no lane, as in pools; its cost is a
// serial server (ChunkParent per chunk plus payload bytes at BytesPerSecond).
type procs struct {
	m        *machine
	prof     Profile
	spec     experiment.Spec
	tasks    taskList
	gate     *gate
	chunks   []chunk
	next     int // next chunk (pool) or task (fresh) to hand out
	done     int
	parent   int64 // when the parent is free to send the next chunk
	spawner  int64 // when the spawning thread is free to start the next process
	workers  []*procWorker
	parked   []*procWorker // fresh: slots whose next task waits for its phase
	finished bool
}

func newProcs(m *machine, spec experiment.Spec, prof Profile, tasks taskList) *procs {
	p := &procs{m: m, prof: prof, spec: spec, tasks: tasks, gate: newGate(spec.Tasks.PhaseStarts())}
	m.advance, m.onEvent = p.advance, p.onEvent
	slots := spec.Workers
	if spec.Fresh {
		slots = min(slots, tasks.len())
	} else {
		p.chunks = makeChunks(tasks, spec.ChunkSize, spec.Tasks.PhaseStarts())
	}
	for i := range slots {
		th := m.newThread(fmt.Sprintf("worker %d · sim", i+1), int32(1000+i+1), int32(1000+i+1))
		w := &procWorker{th: th, num: i + 1}
		p.workers = append(p.workers, w)
		th.pc = pcSpawn
		p.spawn(w)
	}
	return p
}

// makeChunks cuts tasks as pools does: size tasks a chunk, never across a phase.
func makeChunks(tasks taskList, size int, starts []int) []chunk {
	var out []chunk
	phase := 1
	for i := 0; i < tasks.len(); {
		c := chunk{first: i}
		for c.n < max(size, 1) && i < tasks.len() {
			if c.n > 0 && phase < len(starts) && i == starts[phase] {
				break
			}
			c.work += int64(tasks.at(i).Work())
			c.n++
			i++
		}
		for phase < len(starts) && starts[phase] <= i {
			phase++
		}
		out = append(out, c)
	}
	return out
}

// spawn books the worker's start on the parent's one spawning thread.
func (p *procs) spawn(w *procWorker) {
	at := max(p.m.now, p.spawner)
	p.spawner = at + int64(p.prof.SpawnGap)
	w.th.pc = pcSpawn
	p.m.schedule(p.spawner, w.th, evWait, 0)
}

func (p *procs) bytes(t *experiment.Task) (in, out int64) {
	return 32 + 11*int64(len(t.Steps)) + t.In, 16 + t.Out
}

func (p *procs) transferTime(n int64) int64 {
	return int64(float64(n) / p.prof.BytesPerSecond * 1e9)
}

// refill is the feeder's take: queue chunks at w while little work is queued there.
func (p *procs) refill(w *procWorker) {
	for p.next < len(p.chunks) && w.inflight < maxQueued && (w.inflight < minQueued || w.queued < queueAhead) {
		c := p.chunks[p.next]
		if !p.gate.open(c.first) {
			return
		}
		p.next++
		var in int64
		for i := c.first; i < c.first+c.n; i++ {
			t := p.tasks.at(i)
			b, _ := p.bytes(t)
			in += b
		}
		p.m.rec.Add(timeline.IPCBytes, in)
		start := max(p.m.now, p.parent)
		p.parent = start + int64(p.prof.ChunkParent) + p.transferTime(in)
		c.arrives = p.parent
		w.queue = append(w.queue, c)
		w.inflight++
		w.queued += c.work
		p.m.schedule(c.arrives, w.th, evWake, 0)
	}
}

func (p *procs) onEvent(th *thread, e event) {
	if e.kind == evWake && th.pc == pcIdle {
		p.advance(th)
	}
}

// advance moves a worker process on by one op.
func (p *procs) advance(th *thread) {
	m := p.m
	w := p.workers[th.id]
	for {
		switch th.pc {
		case pcSpawn:
			if p.spec.Fresh && p.next < p.tasks.len() && !p.gate.open(p.next) {
				p.parked = append(p.parked, w) // the slot waits for the phase before to end
				m.emit(th, timeline.Off, timeline.NoTask, timeline.NoCPU)
				return
			}
			if p.spec.Fresh && !p.takeFresh(w) {
				m.exit(th)
				return
			}
			if !p.spec.Fresh {
				p.refill(w)
			}
			th.pc = pcStarted
			m.compute(th, int64(p.prof.ProcStartup), timeline.Starting, timeline.NoTask)
			return
		case pcStarted, pcIdle:
			if len(w.queue) == 0 || w.queue[0].arrives > m.now {
				if p.finished || (p.spec.Fresh && len(w.queue) == 0) {
					m.exit(th)
					if p.spec.Fresh && !p.finished {
						p.spawn(w)
					}
					return
				}
				th.pc = pcIdle
				m.emit(th, timeline.Idle, timeline.NoTask, timeline.NoCPU)
				return
			}
			c := w.queue[0]
			w.busy = true
			th.cur, th.pc = int32(c.first), pcTaskStart
			var in int64
			for i := c.first; i < c.first+c.n; i++ {
				t := p.tasks.at(i)
				b, _ := p.bytes(t)
				in += b - t.In // payloads are copied per task below
			}
			d := int64(p.prof.ChunkWorker)/2 + int64(c.n)*int64(p.prof.TaskInChunk)/2 + p.transferTime(in)
			m.compute(th, d, timeline.Transfer, timeline.NoTask)
			return
		case pcTaskStart:
			c := w.queue[0]
			if int(th.cur) == c.first+c.n {
				th.pc = pcChunkDone
				var out int64
				for i := c.first; i < c.first+c.n; i++ {
					t := p.tasks.at(i)
					_, b := p.bytes(t)
					out += b - t.Out
				}
				m.rec.Add(timeline.IPCBytes, out+p.outPayloads(c))
				d := int64(p.prof.ChunkWorker)/2 + int64(c.n)*int64(p.prof.TaskInChunk)/2 + p.transferTime(out)
				m.compute(th, d, timeline.Transfer, timeline.NoTask)
				return
			}
			th.step, th.pc = 0, pcTaskStep
			if in := p.tasks.at(int(th.cur)).In; in > 0 {
				m.compute(th, p.transferTime(in), timeline.Transfer, th.cur)
				return
			}
		case pcTaskStep:
			t := p.tasks.at(int(th.cur))
			if th.step == len(t.Steps) {
				th.pc = pcTaskOut
				if t.Out > 0 {
					m.compute(th, p.transferTime(t.Out), timeline.Transfer, th.cur)
					return
				}
				continue
			}
			st := t.Steps[th.step]
			th.step++
			switch st.Kind {
			case experiment.CPU:
				m.compute(th, int64(st.D), timeline.Running, th.cur)
			case experiment.IO:
				m.wait(th, int64(st.D), 0, timeline.IO, th.cur)
			default:
				m.wait(th, int64(st.D+p.prof.HTTPLatency), int64(p.prof.HTTPCPU), timeline.IO, th.cur)
			}
			return
		case pcTaskOut:
			th.cur++
			th.pc = pcTaskStart
		case pcChunkDone:
			p.chunkDone(w)
			if p.spec.Fresh {
				m.exit(th)
				if !p.finished {
					p.spawn(w)
				}
				return
			}
			th.pc = pcIdle
		}
	}
}

func (p *procs) outPayloads(c chunk) int64 {
	var n int64
	for i := c.first; i < c.first+c.n; i++ {
		t := p.tasks.at(i)
		n += t.Out
	}
	return n
}

// chunkDone is the parent reading a chunk's results: count them, open phases, refill.
func (p *procs) chunkDone(w *procWorker) {
	c := w.queue[0]
	w.queue = w.queue[1:]
	w.inflight--
	w.queued -= c.work
	w.busy = false
	p.done += c.n
	p.m.rec.Add(timeline.TasksDone, int64(c.n))
	opened := p.gate.finished(c.n)
	if p.done == p.tasks.len() {
		// The parent closes every worker's stdin: idle ones exit now.
		p.finished = true
		for _, o := range p.workers {
			if o != w && o.th.pc == pcIdle && !o.th.done {
				p.m.exit(o.th)
			}
		}
		return
	}
	if p.spec.Fresh {
		if opened {
			for _, o := range p.parked {
				p.spawn(o)
			}
			p.parked = nil
		}
		return
	}
	p.refill(w)
	if opened {
		for _, o := range p.workers {
			p.refill(o)
		}
	}
}

// takeFresh gives a fresh process its one task, if one may start; false when none is left.
func (p *procs) takeFresh(w *procWorker) bool {
	if p.next >= p.tasks.len() {
		return false
	}
	i := p.next
	p.next++
	b, _ := p.bytes(p.tasks.at(i))
	p.m.rec.Add(timeline.IPCBytes, b)
	// It is sent as soon as the process exists; it is read after start-up.
	w.queue = append(w.queue[:0], chunk{first: i, n: 1, work: int64(p.tasks.at(i).Work()), arrives: p.m.now})
	w.inflight = 1
	return true
}
