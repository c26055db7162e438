package pools

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/coreography/coreography/internal/timeline"
)

// workerOut is a worker's side of the pipe back to the app. It is the probe's sink:
// events are encoded into a batch as they happen and written with the next flush,
// together with any results, so a trivial task costs no system call of its own.
// The worker thread and the live flusher share it, hence the lock; in practice only
// one of them wants it at a time.
type workerOut struct {
	mu        sync.Mutex
	w         io.Writer
	pending   []byte         // whole frames not yet written
	events    []byte         // body of the events frame being built
	prev      timeline.Event // the last event in events: the next is encoded as a difference
	lastWrite time.Time
	err       error // the first write error: the app has gone
}

// Append encodes one event into the current batch.
func (o *workerOut) Append(e timeline.Event) {
	o.mu.Lock()
	o.events = appendEvent(o.events, o.prev, e)
	o.prev = e
	if len(o.events) >= eventBatchBytes {
		o.closeEvents()
		if len(o.pending) >= pendingBytes {
			o.writeLocked()
		}
	}
	o.mu.Unlock()
}

// closeEvents turns the batch into a frame at the end of pending.
func (o *workerOut) closeEvents() {
	if len(o.events) == 0 {
		return
	}
	o.pending = appendHeader(o.pending, frameEvents, len(o.events))
	o.pending = append(o.pending, o.events...)
	o.events, o.prev = o.events[:0], timeline.Event{}
}

func (o *workerOut) writeLocked() error {
	if len(o.pending) > 0 && o.err == nil {
		if _, err := o.w.Write(o.pending); err != nil {
			o.err = fmt.Errorf("worker: writing to the app: %w", err)
		}
		o.lastWrite = time.Now()
	}
	o.pending = o.pending[:0]
	return o.err
}

// flush writes every event and frame waiting.
func (o *workerOut) flush() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.closeEvents()
	return o.writeLocked()
}

// flushIfOlder flushes when the last write was at least d ago.
func (o *workerOut) flushIfOlder(d time.Duration) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if time.Since(o.lastWrite) < d {
		return o.err
	}
	o.closeEvents()
	return o.writeLocked()
}

// flushEvery flushes every d until stop closes, so a worker computing for seconds
// still shows up live.
func (o *workerOut) flushEvery(d time.Duration, stop <-chan struct{}) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			o.flush()
		case <-stop:
			return
		}
	}
}

func (o *workerOut) hello() {
	o.mu.Lock()
	o.pending = appendHello(o.pending, helloMsg{Version: protocolVersion, PID: int32(os.Getpid())})
	o.mu.Unlock()
}

// results queues a chunk's results behind the events that led to them. Small results
// wait for the next flush; big payloads go straight to the pipe.
func (o *workerOut) results(enc *frameEncoder, m resultsMsg) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.closeEvents()
	payloads := 0
	for _, r := range m.Results {
		payloads += len(r.Out)
	}
	if payloads+len(o.pending) < pendingBytes {
		err := enc.writeResults(appendWriter{&o.pending}, m)
		return err
	}
	if err := o.writeLocked(); err != nil {
		return err
	}
	if err := enc.writeResults(o.w, m); err != nil && o.err == nil {
		o.err = fmt.Errorf("worker: writing results to the app: %w", err)
	}
	o.lastWrite = time.Now()
	return o.err
}

// fail tells the app why this worker gives up, on the pipe and on stderr.
func (o *workerOut) fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	o.mu.Lock()
	defer o.mu.Unlock()
	o.closeEvents()
	o.pending = appendFail(o.pending, err.Error())
	o.writeLocked()
}

// appendWriter is an io.Writer that appends to a byte slice.
type appendWriter struct{ b *[]byte }

func (a appendWriter) Write(p []byte) (int, error) {
	*a.b = append(*a.b, p...)
	return len(p), nil
}
