package pools

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// shutdownGrace is how long finished workers get to exit after their stdin closes
// before they are killed.
const shutdownGrace = 5 * time.Second

// runProcesses runs spec on worker subprocesses: N long-lived ones fed chunks of tasks
// over pipes (ProcessPoolExecutor, Pool.map), or with spec.Fresh one new process per
// task, at most N at a time (multiprocessing.Process). Every process has ended when it
// returns.
func runProcesses(ctx context.Context, spec experiment.Spec, rec *timeline.Recorder) error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("processes: finding this program to start workers from: %w", err)
	}
	return runWorkersOf(ctx, exe, spec, rec)
}

// runWorkersOf is runProcesses with workers started from the program exe.
func runWorkersOf(ctx context.Context, exe string, spec experiment.Spec, rec *timeline.Recorder) (err error) {

	spec = spec.Normalized()
	group, runCtx := errgroup.WithContext(ctx)
	p := &procPool{
		spec:    spec,
		rec:     rec,
		tasks:   spec.Tasks.List(),
		gate:    newPhaseGate(spec.Tasks.PhaseStarts()),
		group:   group,
		ctx:     runCtx,
		allDone: make(chan struct{}),
		stop:    make(chan struct{}),
		live:    map[*workerProc]bool{},
		exe:     exe,
		begin:   timeline.Now(),
	}
	if p.ctr, err = newCounter(spec.Tasks, true); err != nil {
		return fmt.Errorf("processes: %w", err)
	}
	defer func() { rec.SetCounter(p.ctr.final()); p.ctr.close() }()
	var web *slowServer
	if spec.Tasks.HasHTTP() {
		if web, err = startSlowServer(); err != nil {
			return fmt.Errorf("processes: http: starting the loopback server: %w", err)
		}
		defer web.stop()
	}
	p.env = workerEnviron(spec.Cores, web)
	if p.ctr.shm != nil {
		p.env = append(p.env, workerShmEnv+"=3") // the first of cmd.ExtraFiles
	}
	p.makePayloads()
	if p.spawn, err = newSpawner(spec.Cores); err != nil {
		return fmt.Errorf("processes: %w", err)
	}
	defer p.spawn.close()

	if !spec.Fresh {
		p.chunks = makeChunks(p.tasks, p.spec.ChunkSize, p.gate.starts...)
	}
	defer p.cancelQueued()() // after the chunks are cut: it cancels whole chunks
	var own error            // the coordinator's own failure: a worker that would not start or stop
	if spec.Fresh {
		own = p.runFresh()
	} else {
		own = p.runPool()
	}
	failure := p.group.Wait() // every reader, feeder, slot and the watchdog have ended
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return cmp.Or(failure, own)
}

// workerEnviron is this process's environment plus what a worker needs: the worker
// flag, the calibration (so it does the same work for cpu(d) and never recalibrates),
// the cores to pin to and the loopback server's address.
func workerEnviron(cores int, web *slowServer) []string {
	// The empty settings blank any inherited from this process's own environment; when
	// a name repeats, os/exec passes the last value.
	env := append(os.Environ(),
		workerEnv+"="+strconv.Itoa(protocolVersion),
		CalibrationEnv+"="+strconv.FormatFloat(CurrentCalibration().NsPerIter, 'g', -1, 64),
		workerCoresEnv+"=", workerHTTPEnv+"=", workerShmEnv+"=")
	if cores > 0 {
		env = append(env, workerCoresEnv+"="+strconv.Itoa(cores))
	}
	if web != nil {
		env = append(env, workerHTTPEnv+"="+web.url)
	}
	return env
}

// procPool is one run of the processes model.
type procPool struct {
	spec  experiment.Spec // normalized
	rec   *timeline.Recorder
	tasks []experiment.Task
	exe   string
	env   []string
	spawn *spawner
	ctr   *counter // the shared page of add(N, shared); workers keep their own for the rest
	begin int64    // when the run started: every task's submit time

	// The in payloads: every task's is a prefix of one pattern, so they are made once;
	// crcs holds the CRC-32C of each prefix length a task sends, to check what arrived.
	payload []byte
	crcs    map[int64]uint32

	chunks []chunkSpan
	gate   *phaseGate   // holds each "then" phase back until the one before is done
	next   atomic.Int64 // the next chunk (pool) or task (fresh) to hand out
	done   atomic.Int64 // tasks whose results are back

	// group holds the run's goroutines that can fail (each worker's reader, the fresh
	// slots, the watchdog): the first failure cancels ctx, which the coordinator
	// waits on, and is the run's error.
	group    *errgroup.Group
	ctx      context.Context
	allDone  chan struct{} // closed when every result is back
	stop     chan struct{} // closed when the run ends: feeders stop
	aborting atomic.Bool   // workers are being killed: their deaths are not news

	mu   sync.Mutex
	live map[*workerProc]bool // started and not yet reaped
}

// chunkSpan is tasks[first:first+n], sent to a worker as one frame.
type chunkSpan struct {
	seq, first, n int
	work          time.Duration // planned work, to decide how much to queue at a worker
}

func (p *procPool) makePayloads() {
	var longest int64
	for _, t := range p.tasks {
		longest = max(longest, t.In)
	}
	p.payload = make([]byte, longest)
	fillPattern(p.payload, 0x5a)
	p.crcs = map[int64]uint32{}
	for _, t := range p.tasks {
		if _, ok := p.crcs[t.In]; !ok {
			p.crcs[t.In] = crc32.Checksum(p.payload[:t.In], castagnoli)
		}
	}
}

// makeChunks cuts the task list into chunks of size tasks. A chunk is cut short
// before its payloads or headers would pass what one frame may carry, and at the
// start of a "then" phase (phaseStarts), which must wait for the phase before it.
func makeChunks(tasks []experiment.Task, size int, phaseStarts ...int) []chunkSpan {
	const metaBudget = 16 << 20
	var chunks []chunkSpan
	for i := 0; i < len(tasks); {
		c := chunkSpan{seq: len(chunks), first: i}
		var in, out, meta int64
		for c.n < size && i < len(tasks) && (c.n == 0 || !slices.Contains(phaseStarts, i)) {
			t := tasks[i]
			m := int64(32 + 11*len(t.Steps))
			if c.n > 0 && (in+t.In > experiment.MaxPayload || out+t.Out > experiment.MaxPayload || meta+m > metaBudget) {
				break
			}
			in, out, meta = in+t.In, out+t.Out, meta+m
			c.work += t.Work()
			c.n++
			i++
		}
		chunks = append(chunks, c)
	}
	return chunks
}

// wireTasks appends the wire form of tasks[first:first+n] to dst.
func (p *procPool) wireTasks(dst []wireTask, first, n int) []wireTask {
	for i := first; i < first+n; i++ {
		t := p.tasks[i]
		dst = append(dst, wireTask{Index: int32(i), Steps: t.Steps, Out: t.Out, In: p.payload[:t.In]})
	}
	return dst
}

// checkResults verifies that m is the result of chunk c: every task, in order, its
// in payload arrived intact and its out payload came back whole.
func (p *procPool) checkResults(c chunkSpan, m resultsMsg) error {
	if m.Seq != uint64(c.seq) || len(m.Results) != c.n {
		return fmt.Errorf("sent results for chunk %d (%d tasks), expected chunk %d (%d tasks)", m.Seq, len(m.Results), c.seq, c.n)
	}
	for k, r := range m.Results {
		i := c.first + k
		t := p.tasks[i]
		switch {
		case r.Index != int32(i):
			return fmt.Errorf("sent the result of task %d where task %d's belongs", r.Index, i)
		case r.Err != "":
			return fmt.Errorf("task %d failed: %s", i, r.Err)
		case r.InCRC != p.crcs[t.In]:
			return fmt.Errorf("task %d: the %d-byte in payload arrived corrupted (crc %08x, sent %08x)", i, t.In, r.InCRC, p.crcs[t.In])
		case int64(len(r.Out)) != t.Out:
			return fmt.Errorf("task %d: sent %d bytes of out payload, expected %d", i, len(r.Out), t.Out)
		}
	}
	return nil
}

// resultsIn counts n finished tasks.
func (p *procPool) resultsIn(n int) {
	p.rec.Add(timeline.TasksDone, int64(n))
	p.gate.finished(n)
	if p.done.Add(int64(n)) == int64(len(p.tasks)) {
		close(p.allDone)
	}
}

// runPool starts N long-lived workers, each fed by its own goroutine, and waits for
// every result, a failure or ctx. It returns its own failure: a worker that would not
// start or stop.
func (p *procPool) runPool() error {
	lanes := make([]*timeline.Lane, p.spec.Workers)
	for i := range lanes {
		lanes[i] = p.rec.Lane(fmt.Sprintf("worker %d", i+1))
	}
	watching := make(chan struct{})
	defer close(watching)
	p.group.Go(func() error { return p.watchdog(watching) })
	var feeders sync.WaitGroup
	var procs []*workerProc
	var own error
	for i, lane := range lanes {
		w, err := p.startWorker(i+1, lane)
		if err != nil {
			own = err
			break
		}
		procs = append(procs, w)
		feeders.Go(func() { w.feed() })
	}
	ok := false
	if own == nil {
		select {
		case <-p.allDone:
			ok = true
		case <-p.ctx.Done(): // cancelled, or a worker failed
		}
	}
	if !ok {
		p.abort()
	}
	close(p.stop)
	feeders.Wait()
	if ok {
		own = p.finish(procs)
	}
	p.waitAll()
	return own
}

// runFresh starts one process per task, at most N at a time, each fed its task and
// joined, as a loop over multiprocessing.Process would.
func (p *procPool) runFresh() error {
	watching := make(chan struct{})
	defer close(watching)
	p.group.Go(func() error { return p.watchdog(watching) })
	var slots sync.WaitGroup
	// No more slots than tasks: a slot that would never start a process gets no lane.
	for i := range min(p.spec.Workers, len(p.tasks)) {
		lane := p.rec.Lane(fmt.Sprintf("worker %d", i+1))
		slots.Add(1)
		p.group.Go(func() error {
			defer slots.Done()
			return p.freshSlot(i+1, lane)
		})
	}
	finished := make(chan struct{})
	go func() {
		slots.Wait()
		close(finished)
	}()
	select {
	case <-finished:
	case <-p.ctx.Done(): // cancelled, or a slot failed
		p.abort()
	}
	close(p.stop)
	<-finished
	p.waitAll()
	if p.ctx.Err() == nil && p.done.Load() != int64(len(p.tasks)) {
		return fmt.Errorf("processes: only %d of %d results came back", p.done.Load(), len(p.tasks))
	}
	return nil
}

// freshSlot runs tasks one fresh process at a time until none are left, and returns
// the first one's failure.
func (p *procPool) freshSlot(num int, lane *timeline.Lane) error {
	for {
		i := int(p.next.Add(1) - 1)
		if i >= len(p.tasks) || p.stopping() {
			return nil
		}
		select { // a task of a later phase starts when the phase before it is done
		case <-p.gate.ready(i):
		case <-p.ctx.Done():
			return nil
		case <-p.stop:
			return nil
		}
		w, err := p.startWorker(num, lane)
		if err != nil {
			return err
		}
		w.runOne(chunkSpan{seq: i, first: i, n: 1, work: p.tasks[i].Work()})
		<-w.exited
		if w.err != nil {
			return w.err
		}
	}
}

func (p *procPool) stopping() bool {
	select {
	case <-p.ctx.Done():
		return true
	case <-p.stop:
		return true
	default:
		return p.aborting.Load()
	}
}

// abort kills every worker: the run failed or was cancelled.
func (p *procPool) abort() {
	p.aborting.Store(true)
	p.mu.Lock()
	defer p.mu.Unlock()
	for w := range p.live {
		w.kill()
	}
}

// finish closes the workers' stdin, which tells them to exit, and kills any that do
// not within shutdownGrace: that is a failure of the run, which it returns.
func (p *procPool) finish(procs []*workerProc) error {
	for _, w := range procs {
		w.countRunDelay() // idle now, and alive: its threads' figures are still there
		w.closeInput()
	}
	deadline := time.NewTimer(shutdownGrace)
	defer deadline.Stop()
	for _, w := range procs {
		select {
		case <-w.exited:
		case <-deadline.C:
			p.abort()
			return fmt.Errorf("processes: worker %d (pid %d) did not exit within %v of its input closing", w.num, w.pid, shutdownGrace)
		}
	}
	return nil
}

// waitAll waits until every started process has been reaped.
func (p *procPool) waitAll() {
	p.mu.Lock()
	procs := make([]*workerProc, 0, len(p.live))
	for w := range p.live {
		procs = append(procs, w)
	}
	p.mu.Unlock()
	for _, w := range procs {
		<-w.exited
	}
}

// errNotWorker explains the usual reason a child does not speak the protocol.
var errNotWorker = errors.New("is its main calling pools.IsWorker and pools.WorkerMain first?")
