package pools

import (
	"bufio"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"time"

	"github.com/coreography/coreography/internal/timeline"
)

// The environment a worker subprocess is started with. The worker flag is an
// environment variable rather than an argument so that any binary whose main (or
// TestMain) calls IsWorker first can be a worker, the test binary included.
const (
	workerEnv      = "COREOGRAPHY_WORKER"       // the protocol version the app speaks
	workerCoresEnv = "COREOGRAPHY_WORKER_CORES" // the run's cores: K, so the worker pins itself
	workerHTTPEnv  = "COREOGRAPHY_WORKER_HTTP"  // the app's loopback server, for http(d)
	workerShmEnv   = "COREOGRAPHY_WORKER_SHM"   // the fd of add(N, shared)'s shared page
)

// How a worker batches its output. A system call per event would cost more than a
// trivial task; events and results wait in a buffer until the worker is about to
// block on its pipe, a result has waited resultFlushAfter, or liveFlushEvery passes
// (so a lane drawn live lags by at most that while the worker computes: one frame at
// 30 a second). Each flush wakes the app; at 10 ms two computing workers woke it 200
// times a second, a good share of its context switches while it drew them.
const (
	resultFlushAfter = 200 * time.Microsecond
	liveFlushEvery   = 33 * time.Millisecond
	eventBatchBytes  = 16 << 10
	pendingBytes     = 64 << 10
)

// workerArg is the one argument a worker is started with.
const workerArg = "__coreography-pool-worker"

// IsWorker reports whether this process was started as a process-pool worker. It
// takes all three marks the pool gives a worker, so that the binary handshake cannot
// be reached by accident (COREOGRAPHY_WORKER=1 coreography --help printed binary
// frames): the environment variable, the single argument workerArg, and a stdout that
// is not a terminal.
func IsWorker() bool {
	if os.Getenv(workerEnv) == "" || len(os.Args) != 2 || os.Args[1] != workerArg {
		return false
	}
	st, err := os.Stdout.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice == 0
}

// WorkerMain serves tasks on stdin/stdout until stdin ends and returns the exit status.
// Call it first thing in main when IsWorker is true.
func WorkerMain() int {
	// The calling thread is the worker: its events carry its thread id and CPU clock,
	// and cores: K pins it. It is never unlocked, so the pinning cannot leak.
	runtime.LockOSThread()
	// Ctrl-C in a terminal signals the whole process group. The app decides when its
	// workers end (it kills them when its run is cancelled), so the worker ignores it.
	signal.Ignore(os.Interrupt)

	out := &workerOut{w: os.Stdout}
	if err := serveWorker(out); err != nil {
		out.fail(err)
		return 1
	}
	return 0
}

// serveWorker is the worker process side: it sets the worker up from its environment,
// says hello and serves. (The app side starts one with procPool.startWorker.)
func serveWorker(out *workerOut) error {
	if v := os.Getenv(workerEnv); v != strconv.Itoa(protocolVersion) {
		return fmt.Errorf("worker: the app speaks protocol %q, this binary speaks %d", v, protocolVersion)
	}
	if s := os.Getenv(workerCoresEnv); s != "" {
		k, err := strconv.Atoi(s)
		if err != nil {
			return fmt.Errorf("worker: $%s=%q is not a number of cores", workerCoresEnv, s)
		}
		if err := pinThread(k); err != nil {
			return fmt.Errorf("worker: %w", err)
		}
	}
	out.hello()
	if err := out.flush(); err != nil {
		return err
	}
	w := &worker{out: out, in: frameReader{r: bufio.NewReaderSize(os.Stdin, 64<<10)}}
	w.p = newProbe(out)
	ctr, err := workerCounter()
	if err != nil {
		return fmt.Errorf("worker: %w", err)
	}
	defer ctr.close()
	w.steps = stepper{p: w.p, ctr: ctr}
	if url := os.Getenv(workerHTTPEnv); url != "" {
		w.steps.web = newClient(url)
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		out.flushEvery(liveFlushEvery, stop)
	}()
	err = w.serve()
	w.p.enter(timeline.Off, timeline.NoTask)
	close(stop)
	<-done
	if ferr := out.flush(); err == nil {
		err = ferr
	}
	return err
}

// castagnoli is CRC-32C, which amd64 and arm64 compute in hardware: checking a 10 MB
// payload costs about a millisecond.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// worker is the serving side of one worker subprocess.
type worker struct {
	out     *workerOut
	p       *probe
	steps   stepper
	in      frameReader
	enc     frameEncoder
	inCopy  []byte // a task's in payload, copied out of the frame as unpickling would
	outBuf  []byte // the chunk's out payloads
	results []wireResult
}

// serve runs chunks until the app closes stdin.
func (w *worker) serve() error {
	for {
		if w.in.r.Buffered() == 0 {
			// About to block on the pipe: say so, and send everything pending first.
			w.p.enter(timeline.Idle, timeline.NoTask)
			if err := w.out.flush(); err != nil {
				return err
			}
		}
		t, n, err := w.in.header()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("worker: reading from the app: %w", err)
		}
		w.p.enter(timeline.Transfer, timeline.NoTask)
		body, err := w.in.readBody(t, n)
		if err != nil {
			return fmt.Errorf("worker: reading from the app: %w", err)
		}
		if t != frameChunk {
			return fmt.Errorf("worker: the app sent a %s frame; a worker takes only chunks", t)
		}
		m, err := decodeChunk(body)
		if err != nil {
			return fmt.Errorf("worker: %w", err)
		}
		if err := w.runChunk(m); err != nil {
			return err
		}
	}
}

// runChunk does a chunk's tasks in order and sends their results as one frame.
func (w *worker) runChunk(m chunkMsg) error {
	var outTotal int64
	for _, t := range m.Tasks {
		outTotal += t.Out
	}
	if int64(cap(w.outBuf)) < outTotal {
		w.outBuf = make([]byte, outTotal)
	}
	w.outBuf = w.outBuf[:outTotal]
	w.results = w.results[:0]
	off := int64(0)
	for _, t := range m.Tasks {
		r := wireResult{Index: t.Index}
		if len(t.In) > 0 {
			w.p.enter(timeline.Transfer, t.Index)
			w.inCopy = append(w.inCopy[:0], t.In...)
			r.InCRC = crc32.Checksum(w.inCopy, castagnoli)
		}
		r.Start = timeline.Now()
		err := w.steps.run(t.Index, t.task())
		r.End, r.Outcome = timeline.Now(), timeline.Done
		if errors.Is(err, errTaskFailed) {
			r.Outcome = timeline.Failed
		} else if err != nil {
			r.Err = err.Error()
		}
		if t.Out > 0 {
			w.p.enter(timeline.Transfer, t.Index)
			r.Out = w.outBuf[off : off+t.Out : off+t.Out]
			fillPattern(r.Out, byte(t.Index))
			off += t.Out
		}
		w.results = append(w.results, r)
	}
	w.p.enter(timeline.Transfer, timeline.NoTask)
	if err := w.out.results(&w.enc, resultsMsg{Seq: m.Seq, Results: w.results}); err != nil {
		return err
	}
	if w.in.r.Buffered() > 0 {
		// More work is already here: send results now only if they have waited long
		// enough that the app may be running out of work to queue for us.
		return w.out.flushIfOlder(resultFlushAfter)
	}
	return nil
}

// fillPattern fills b with bytes that depend on seed, doubling copies so a 10 MB
// payload is made at memory speed: real bytes, cheaply.
func fillPattern(b []byte, seed byte) {
	n := min(len(b), 251)
	for i := range n {
		b[i] = seed + byte(i)
	}
	for n < len(b) {
		n += copy(b[n:], b[:n])
	}
}

// workerCounter is this worker's counter: its own, as a Python global is in each pool
// worker, so plain adds never reach the app; plus the app's shared page when a task
// adds through it (passed as the file descriptor $COREOGRAPHY_WORKER_SHM), which
// add(N, call) also goes through without its lock, as v.value += 1 on a
// multiprocessing.Value does.
func workerCounter() (*counter, error) {
	c := &counter{}
	s := os.Getenv(workerShmEnv)
	if s == "" {
		return c, nil
	}
	fd, err := strconv.Atoi(s)
	if err != nil || fd < 3 {
		return nil, fmt.Errorf("$%s=%q is not a file descriptor", workerShmEnv, s)
	}
	shm, err := mapSharedCounter(os.NewFile(uintptr(fd), "shared counter"))
	if err != nil {
		return nil, err
	}
	c.shm = shm
	c.callShared = true
	return c, nil
}
