package sim

import (
	"fmt"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// Program counters of a worker process.
const (
	pcSpawn     = iota + 100 // its turn on the parent's spawning thread
	pcStarted                // start-up done: take chunks
	pcStartWait              // start-up's CPU done; the rest of it is waiting (exec, page faults)
	pcTaskStart              // begin task cur of the chunk
	pcTaskStep               // the next step of task cur
	pcTaskOut                // the task's out payload is sent: next task
	pcChunkDone              // results encoded and written: the parent has them
	pcIdle                   // waiting for a chunk
	pcExited                 // its process exited: the parent reaps it ProcExit later
)

// chunk is tasks[first:first+n], sent to one worker as one frame.
type chunk struct {
	first, n int
	work     int64 // planned work, for the queue-ahead rule
	arrives  int64 // when the worker can read it
	// Bytes of the chunk's frame (task headers) and its tasks' payloads, each way.
	meta, in, resultMeta, out int64
}

// procWorker is one worker process's side: its queue of chunks sent and not done.
type procWorker struct {
	th       *thread
	num      int
	queue    []chunk // sent to it, oldest first; queue[0] is in progress when busy
	inflight int
	queued   int64
	busy     bool
	respawn  bool // fresh: once reaped, its slot starts the next task's process
}

// procs is the processes engine: long-lived workers fed chunks by one parent, or with
// Fresh one new process per task. The parent has no lane, as in pools, but its work
// (ChunkParent per chunk plus payload bytes at BytesPerSecond to send, ParentPerTask
// to read each result back) needs a core, one job at a time.
type procs struct {
	m        *machine
	prof     Profile
	spec     experiment.Spec
	tasks    taskList
	gate     *gate
	chunks   []chunk
	next     int // next chunk (pool) or task (fresh) to hand out
	done     int
	parent   *parent // writes chunks and reads results, on a core like the workers
	spawner  int64   // when the spawning thread is free to start the next process
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
	p.parent = newParent(m) // after the workers: their thread ids index p.workers
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
			t := tasks.at(i)
			c.work += int64(t.Work())
			c.meta += 32 + 11*int64(len(t.Steps))
			c.resultMeta += 16
			c.in += t.In
			c.out += t.Out
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

// refill is the feeder's take: queue chunks at w while little work is queued there.
func (p *procs) refill(w *procWorker) {
	for p.next < len(p.chunks) && experiment.WorkerHasRoom(w.inflight, time.Duration(w.queued)) {
		c := p.chunks[p.next]
		if !p.gate.open(c.first) {
			return
		}
		p.next++
		in := c.meta + c.in
		p.m.rec.Add(timeline.IPCBytes, in)
		c.arrives = notYet
		w.queue = append(w.queue, c)
		w.inflight++
		w.queued += c.work
		p.parent.send(w, c.first, int64(p.prof.ChunkParent)+p.prof.transferTime(in))
	}
}

func (p *procs) onEvent(th *thread, e event) {
	if e.kind == evWake && th.pc == pcIdle {
		p.advance(th)
	}
}

// advance moves a worker process on until it waits for something.
func (p *procs) advance(th *thread) {
	if th.pc == pcParent {
		p.parent.done()
		return
	}
	w := p.workers[th.id]
	for p.next1(w) {
	}
}

// next1 takes one step of w's program and reports whether another follows at once.
func (p *procs) next1(w *procWorker) bool {
	th := w.th
	switch th.pc {
	case pcSpawn:
		p.start(w)
		return false
	case pcStartWait:
		th.pc = pcStarted
		if rest := int64(p.prof.ProcStartup) - p.prof.startupCPU(); rest > 0 {
			p.m.wait(th, rest, 0, timeline.Starting, timeline.NoTask)
			return false
		}
		return true
	case pcStarted, pcIdle:
		p.readChunk(w)
		return false
	case pcExited:
		if w.respawn && !p.finished {
			p.spawn(w)
		}
		return false
	case pcTaskStart:
		return p.taskStart(w)
	case pcTaskStep:
		return p.taskStep(w)
	case pcTaskOut:
		th.cur++
		th.pc = pcTaskStart
		return true
	case pcChunkDone:
		p.chunkDone(w)
		if p.spec.Fresh {
			p.exit(w, true)
			return false
		}
		th.pc = pcIdle
		return true
	}
	return false
}

// exit ends w's process: its lane is off from now, and the parent has reaped it
// ProcExit later (the run ends no sooner), when a fresh slot may start its next.
func (p *procs) exit(w *procWorker, respawn bool) {
	p.m.exit(w.th)
	w.th.pc, w.respawn = pcExited, respawn
	p.m.schedule(p.m.now+int64(p.prof.ProcExit), w.th, evWait, 0)
}

// start is the process's start-up, once its turn on the spawning thread came.
func (p *procs) start(w *procWorker) {
	m, th := p.m, w.th
	if p.spec.Fresh && p.next < p.tasks.len() && !p.gate.open(p.next) {
		p.parked = append(p.parked, w) // the slot waits for the phase before to end
		m.emit(th, timeline.Off, timeline.NoTask, timeline.NoCPU)
		return
	}
	if p.spec.Fresh && !p.takeFresh(w) {
		p.exit(w, false)
		return
	}
	if !p.spec.Fresh {
		p.refill(w)
	}
	th.pc = pcStartWait
	m.compute(th, p.prof.startupCPU(), timeline.Starting, timeline.NoTask)
}

// readChunk reads the next chunk that has arrived, or idles (or exits, when the run is
// over or a fresh process has done its task).
func (p *procs) readChunk(w *procWorker) {
	m, th := p.m, w.th
	if len(w.queue) == 0 || w.queue[0].arrives > m.now {
		if p.finished || (p.spec.Fresh && len(w.queue) == 0) {
			p.exit(w, p.spec.Fresh)
			return
		}
		th.pc = pcIdle
		m.emit(th, timeline.Idle, timeline.NoTask, timeline.NoCPU)
		return
	}
	c := w.queue[0]
	w.busy = true
	th.cur, th.pc = int32(c.first), pcTaskStart
	// The frame's task headers now; each payload is copied with its task below.
	d := int64(p.prof.ChunkWorker)/2 + int64(c.n)*int64(p.prof.TaskInChunk)/2 + p.prof.transferTime(c.meta)
	m.compute(th, d, timeline.Transfer, timeline.NoTask)
}

// taskStart begins task cur of the chunk (copying its in payload), or, past the
// chunk's last task, encodes and writes the results.
func (p *procs) taskStart(w *procWorker) bool {
	m, th := p.m, w.th
	c := w.queue[0]
	if int(th.cur) == c.first+c.n {
		th.pc = pcChunkDone
		m.rec.Add(timeline.IPCBytes, c.resultMeta+c.out)
		d := int64(p.prof.ChunkWorker)/2 + int64(c.n)*int64(p.prof.TaskInChunk)/2 + p.prof.transferTime(c.resultMeta)
		m.compute(th, d, timeline.Transfer, timeline.NoTask)
		return false
	}
	th.step, th.pc = 0, pcTaskStep
	if in := p.tasks.at(int(th.cur)).In; in > 0 {
		m.compute(th, p.prof.transferTime(in), timeline.Transfer, th.cur)
		return false
	}
	return true
}

// taskStep does the task's next step, or sends its out payload after the last.
func (p *procs) taskStep(w *procWorker) bool {
	m, th := p.m, w.th
	t := p.tasks.at(int(th.cur))
	if th.step == len(t.Steps) {
		th.pc = pcTaskOut
		if t.Out > 0 {
			m.compute(th, p.prof.transferTime(t.Out), timeline.Transfer, th.cur)
			return false
		}
		return true
	}
	st := t.Steps[th.step]
	th.step++
	switch st.Kind {
	case experiment.CPU:
		m.compute(th, p.prof.work(st.D), timeline.Running, th.cur)
	case experiment.IO:
		m.wait(th, int64(st.D), 0, timeline.IO, th.cur)
	default:
		m.wait(th, int64(st.D+p.prof.HTTPLatency), int64(p.prof.HTTPCPU), timeline.IO, th.cur)
	}
	return false
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
	if !p.spec.Fresh {
		p.parent.read(int64(c.n) * int64(p.prof.ParentPerTask))
	}
	opened := p.gate.finished(c.n)
	if p.done == p.tasks.len() {
		// The parent closes every worker's stdin: idle ones exit now.
		p.finished = true
		for _, o := range p.workers {
			if o != w && o.th.pc == pcIdle && !o.th.done {
				p.exit(o, false)
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
	t := p.tasks.at(i)
	c := chunk{first: i, n: 1, work: int64(t.Work()), arrives: p.m.now, // sent as soon as the process exists
		meta: 32 + 11*int64(len(t.Steps)), resultMeta: 16, in: t.In, out: t.Out}
	p.m.rec.Add(timeline.IPCBytes, c.meta+c.in)
	w.queue = append(w.queue[:0], c)
	w.inflight = 1
	return true
}
