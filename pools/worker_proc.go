package pools

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/procwatch"
	"github.com/coreography/coreography/internal/timeline"
)

// helloTimeout is how long a new worker may take to say hello. Go starts in
// milliseconds; a child that stays silent this long is not a worker at all.
const helloTimeout = 10 * time.Second

// workerProc is the app's handle on one worker subprocess: its pipes, a reader that
// turns its frames into lane events and results, and (pool mode) a feeder that keeps
// work queued at it. Reading and writing are separate goroutines because both pipes
// can fill at once with big payloads: one goroutine doing both would deadlock.
type workerProc struct {
	pool   *procPool
	num    int // worker number as the learner sees it, from 1
	lane   *timeline.Lane
	cmd    *exec.Cmd
	pid    int
	stdin  *os.File // the app's end of the worker's stdin
	stdout *os.File // the app's end of the worker's stdout
	stderr *tailBuffer

	wake    chan struct{} // the reader tells the feeder that results came back
	greeted chan struct{} // closed when the worker says hello: it can take work

	mu       sync.Mutex
	inflight []chunkSpan // sent, results not yet back, oldest first
	queued   time.Duration

	closing atomic.Bool // the app closed stdin: an exit is expected now
	hello   atomic.Bool
	failMsg string       // what the worker said when it gave up
	sawOff  bool         // the worker recorded its own Off event
	tid     atomic.Int32 // the worker's own thread, from its events; 0 before the first

	progressAt atomic.Int64 // unix ns of its last sign of progress (see stall.go)
	cpuSeen    int64        // its CPU time at the watchdog's last look

	exited chan struct{} // closed when the process has been reaped
	err    error         // why the worker failed, if it did; read after exited
	giveUp sync.Once     // arms the close of stdout after a kill
}

// startWorker starts one worker subprocess recorded on lane, with its reader running.
func (p *procPool) startWorker(num int, lane *timeline.Lane) (*workerProc, error) {
	var extra []*os.File
	if p.ctr.shm != nil {
		extra = []*os.File{p.ctr.shm.file}
	}
	stderr := &tailBuffer{}
	started := timeline.Now()
	cmd, inW, outR, err := startWorkerCmd(p.spawn, p.exe, p.env, extra, stderr)
	if err != nil {
		return nil, fmt.Errorf("processes: starting worker %d (%s): %w", num, p.exe, err)
	}
	w := &workerProc{pool: p, num: num, lane: lane, cmd: cmd, stdin: inW, stdout: outR, stderr: stderr,
		wake: make(chan struct{}, 1), greeted: make(chan struct{}), exited: make(chan struct{})}
	w.pid = w.cmd.Process.Pid
	lane.Rename(fmt.Sprintf("worker %d · pid %d", num, w.pid))
	// Recorded by the app, before any event of the child: the process exists but
	// cannot take work until it says hello.
	// Its CPU time is 0, true of a thread that does not exist yet: when the worker's
	// first event comes from its main thread (tid = pid, as usual), the start-up span
	// then counts the CPU that thread really used, not the whole wall time.
	lane.Append(timeline.Event{T: started, CPUTime: 0, Task: timeline.NoTask,
		PID: int32(w.pid), TID: int32(w.pid), CPU: timeline.NoCPU, State: timeline.Starting})

	p.mu.Lock()
	w.progressed()
	p.live[w] = true
	if p.aborting.Load() {
		w.kill()
	}
	p.mu.Unlock()
	p.group.Go(w.read)
	return w, nil
}

// kill ends the worker and everything it started. Should a descendant that escaped
// the group still hold the worker's stdout, the app gives up on the pipe a moment
// later, so the reader returns and the worker is reaped: a run ends within its limit.
func (w *workerProc) kill() {
	killWorkerGroup(w.pid)
	w.cmd.Process.Kill()
	w.giveUp.Do(func() { time.AfterFunc(pipeGiveUp, func() { w.stdout.Close() }) })
}

// pipeGiveUp is how long a killed worker's pipes may stay open before the app closes
// its end: a killed process's pipes close at once unless another process holds them.
const pipeGiveUp = time.Second

// closeInput closes the worker's stdin: it finishes what it has and exits.
func (w *workerProc) closeInput() {
	w.closing.Store(true)
	w.stdin.Close()
}

// read handles the worker's frames until its stdout ends, then reaps it. It returns
// the worker's failure, unless the run is aborting and killed it.
func (w *workerProc) read() error {
	defer close(w.exited)
	var silent atomic.Bool
	stop := time.AfterFunc(helloTimeout, func() {
		if !w.hello.Load() {
			silent.Store(true)
			w.kill()
		}
	})
	readErr := w.readFrames()
	stop.Stop()
	if readErr != nil {
		w.kill() // it speaks garbage: stop it, so Wait returns
	}
	waitErr := w.cmd.Wait()
	w.stdout.Close()
	w.stdin.Close()
	if !w.sawOff {
		// Killed or crashed: close its last span here, as the worker could not.
		w.lane.Append(timeline.Event{T: timeline.Now(), CPUTime: timeline.NoCPUTime, Task: timeline.NoTask,
			PID: int32(w.pid), TID: int32(w.pid), CPU: timeline.NoCPU, State: timeline.Off})
	}
	if silent.Load() {
		readErr = fmt.Errorf("said nothing for %v", helloTimeout)
	}
	w.err = w.failure(readErr, waitErr)
	p := w.pool
	news := w.err
	if p.aborting.Load() {
		news = nil
	}
	p.mu.Lock()
	delete(p.live, w)
	p.mu.Unlock()
	return news
}

// failure explains how the worker ended, or returns nil if it ended as asked.
func (w *workerProc) failure(readErr, waitErr error) error {
	var why string
	switch {
	case w.failMsg != "":
		why = "failed: " + w.failMsg
	case readErr != nil && !w.hello.Load():
		why = fmt.Sprintf("does not speak the worker protocol (%v); %v", readErr, errNotWorker)
	case readErr != nil:
		why = readErr.Error()
	case !w.hello.Load() && waitErr != nil:
		why = fmt.Sprintf("died while starting: %v", waitErr)
	case !w.closing.Load() && waitErr != nil:
		why = fmt.Sprintf("died: %v", waitErr)
	case !w.closing.Load():
		why = "exited before its work was done"
	case waitErr != nil:
		why = fmt.Sprintf("exited badly after its work was done: %v", waitErr)
	case w.pending() > 0:
		why = fmt.Sprintf("exited without the results of %d chunks", w.pending())
	default:
		return nil
	}
	msg := fmt.Sprintf("processes: worker %d (pid %d) %s", w.num, w.pid, why)
	if tail := w.stderr.lastLines(5); tail != "" {
		msg += "\n  its stderr ended with:\n    " + strings.ReplaceAll(tail, "\n", "\n    ")
	}
	return errors.New(msg)
}

// pending is how many chunks sent to the worker have no results yet.
func (w *workerProc) pending() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.inflight)
}

// readFrames reads until EOF (nil) or a broken frame.
func (w *workerProc) readFrames() error {
	p := w.pool
	fr := frameReader{r: bufio.NewReaderSize(counting{r: newPipeReader(w.stdout), rec: p.rec}, 64<<10)}
	wake := false
	for {
		t, body, err := fr.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("sent a broken frame: %w", err)
		}
		w.progressed()
		if t != frameHello && !w.hello.Load() {
			return fmt.Errorf("sent a %s frame before saying hello", t)
		}
		switch t {
		case frameHello:
			m, err := decodeHello(body)
			if err != nil {
				return err
			}
			if m.Version != protocolVersion || w.hello.Load() {
				return fmt.Errorf("said hello twice or in protocol %d, not %d", m.Version, protocolVersion)
			}
			w.hello.Store(true)
			close(w.greeted)
		case frameEvents:
			if err := decodeEvents(body, w.appendEvent); err != nil {
				return err
			}
		case frameResults:
			m, err := decodeResults(body)
			if err != nil {
				return err
			}
			if err := w.takeResults(m); err != nil {
				return err
			}
			wake = true
		case frameFail:
			w.failMsg = decodeFail(body)
		default:
			return fmt.Errorf("sent a %s frame, which only the app sends", t)
		}
		// Wake the feeder once per burst of frames, not per result.
		if wake && fr.r.Buffered() == 0 {
			wake = false
			select {
			case w.wake <- struct{}{}:
			default:
			}
		}
	}
}

func (w *workerProc) appendEvent(e timeline.Event) {
	w.sawOff = e.State == timeline.Off
	if e.State != timeline.Starting && e.TID > 0 {
		w.tid.Store(e.TID) // the worker's own thread, as its probe says
	}
	w.lane.Append(e)
}

// takeResults checks m against the oldest chunk in flight and counts its tasks.
func (w *workerProc) takeResults(m resultsMsg) error {
	w.mu.Lock()
	if len(w.inflight) == 0 {
		w.mu.Unlock()
		return fmt.Errorf("sent results for chunk %d, which it was never sent", m.Seq)
	}
	c := w.inflight[0]
	w.inflight = w.inflight[1:]
	w.queued -= c.work
	w.mu.Unlock()
	if err := w.pool.checkResults(c, m); err != nil {
		return err
	}
	if w.pool.spec.Fresh {
		w.countRunDelay() // a fresh worker exits once its one result is sent
	}
	w.pool.outcomes(c, m)
	w.pool.resultsIn(c.n)
	return nil
}

// countRunDelay adds what the worker's threads waited for a core, since it started,
// to the run's RunQueue.
func (w *workerProc) countRunDelay() {
	d, ok := procwatch.ProcessRunDelay(w.pid)
	if tid := w.tid.Load(); tid > 0 { // the runtime's own threads (GC, sysmon) are not the run's work
		d, ok = procwatch.ThreadRunDelayOf(w.pid, int(tid))
	}
	if ok {
		w.pool.rec.Add(timeline.RunQueue, int64(d))
	}
}

// take claims more chunks for this worker while little work is queued at it.
func (w *workerProc) take(dst []chunkSpan) []chunkSpan {
	p := w.pool
	w.mu.Lock()
	defer w.mu.Unlock()
	for experiment.WorkerHasRoom(len(w.inflight), w.queued) {
		i := int(p.next.Load())
		if i >= len(p.chunks) || !p.gate.isOpen(p.chunks[i].first) {
			break // none left, or the next belongs to a phase still waiting for its predecessor
		}
		if !p.next.CompareAndSwap(int64(i), int64(i+1)) {
			continue // another feeder took it
		}
		c := p.chunks[i]
		if len(w.inflight) == 0 {
			w.progressed() // the silence a stall is measured by starts with work
		}
		w.inflight = append(w.inflight, c)
		w.queued += c.work
		dst = append(dst, c)
	}
	return dst
}

// feed keeps work queued at the worker until the chunks run out or the run stops.
// A write error means the worker is gone; its reader reports why.
//
// It claims nothing before the worker has said hello. Python's pool workers take
// the next task from one queue when they are up, so the first worker to finish
// starting runs the first task; a chunk claimed at spawn would wait in the pipe of
// a worker still starting while another stood idle, and a short task could then
// finish after a longer one submitted after it.
func (w *workerProc) feed() {
	p := w.pool
	select {
	case <-w.greeted:
	case <-p.stop:
		return
	}
	bw := bufio.NewWriterSize(counting{w: newPipeWriter(w.stdin), rec: p.rec}, 64<<10)
	var enc frameEncoder
	var batch []chunkSpan
	var tasks []wireTask
	for {
		batch = w.take(batch[:0])
		if len(batch) == 0 {
			if int(p.next.Load()) >= len(p.chunks) {
				return
			}
			select {
			case <-w.wake:
				continue
			case <-w.nextPhase():
				continue
			case <-p.stop:
				return
			}
		}
		for _, c := range batch {
			tasks = p.wireTasks(tasks[:0], c.first, c.n)
			if enc.writeChunk(bw, chunkMsg{Seq: uint64(c.seq), Tasks: tasks}) != nil {
				return
			}
		}
		if bw.Flush() != nil {
			return
		}
	}
}

// runOne feeds a fresh worker its single task and closes its stdin, so it exits once
// the result is sent.
func (w *workerProc) runOne(c chunkSpan) {
	p := w.pool
	w.mu.Lock()
	w.progressed()
	w.inflight = append(w.inflight, c)
	w.mu.Unlock()
	bw := bufio.NewWriter(counting{w: newPipeWriter(w.stdin), rec: p.rec})
	var enc frameEncoder
	if enc.writeChunk(bw, chunkMsg{Seq: uint64(c.seq), Tasks: p.wireTasks(nil, c.first, c.n)}) == nil {
		bw.Flush()
	}
	w.closeInput()
}

// nextPhase is closed when the next chunk to hand out may start and this worker has
// room for it; nil (never ready) when the worker's queue is full, so a feeder with
// enough queued waits for results instead. A phase that opened between take and here
// is a closed channel, so no wake-up is lost.
func (w *workerProc) nextPhase() <-chan struct{} {
	p := w.pool
	w.mu.Lock()
	room := experiment.WorkerHasRoom(len(w.inflight), w.queued)
	w.mu.Unlock()
	i := int(p.next.Load())
	if !room || i >= len(p.chunks) {
		return nil
	}
	return p.gate.ready(p.chunks[i].first)
}
