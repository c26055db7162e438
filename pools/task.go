package pools

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"syscall"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// stepper does the steps of tasks on one worker thread. Engines that share a lock
// between threads set the hooks; the zero hooks do nothing.
type stepper struct {
	p      *probe
	web    *slowServer     // for http(d); nil when no task fetches
	ctx    context.Context // cancels CPU work between slices and I/O waits; nil: never
	check  func() error    // called between slices of CPU work (GIL: honour a drop request); an error stops the task
	unlock func()          // called before waiting on I/O (GIL: release the lock)
	relock func() error    // called after it (GIL: take the lock back, waiting if need be); an error stops the task
	ctr    *counter        // the counter add(N) steps increment
	gil    bool            // check between every increment, where CPython can switch (counter.go)
	gate   *startGate      // holds the first racing tasks until all are ready; nil: none
}

// run does every step of task i. It leaves the worker in its last state; the engine
// records what comes next (idle, the next task, a result transfer). A fail step
// returns errTaskFailed: the task is over, the worker goes on.
func (s *stepper) run(i int32, t experiment.Task) error {
	gated := false
	for _, st := range t.Steps {
		switch st.Kind {
		case experiment.Fail:
			return errTaskFailed
		case experiment.Add:
			if !gated {
				gated = true
				if err := s.awaitRacers(i); err != nil {
					return err
				}
			}
			s.p.enter(timeline.Running, i)
			if err := s.add(s.ctr, st); err != nil {
				return err
			}
		case experiment.CPU:
			s.p.enter(timeline.Running, i)
			if err := compute(st.D, s.p, s.check); err != nil {
				return err
			}
		case experiment.Hash:
			if err := s.native(i, st.D); err != nil {
				return err
			}
		case experiment.IO, experiment.HTTP:
			// The lane leaves Running before the lock is let go, so no two GIL lanes
			// ever show Running at the same instant.
			s.p.enter(timeline.IO, i)
			if s.unlock != nil {
				s.unlock()
			}
			var err error
			if st.Kind == experiment.IO {
				err = sleep(s.ctx, st.D)
			} else {
				err = s.web.get(s.ctx, st.D)
			}
			if err != nil {
				if s.ctx != nil && s.ctx.Err() != nil {
					return s.ctx.Err()
				}
				return fmt.Errorf("task %d: %w", i, err)
			}
			if s.relock != nil {
				if err := s.relock(); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// native computes for d as C code that lets the GIL go does (hashlib over a large
// buffer): under a GIL the thread releases it first and takes it back after, so the
// computation runs beside the other threads' Python code; it stays Running throughout.
func (s *stepper) native(i int32, d time.Duration) error {
	s.p.enter(timeline.Running, i)
	if s.unlock == nil {
		return compute(d, s.p, s.check)
	}
	s.unlock()
	err := compute(d, s.p, func() error {
		if s.ctx != nil {
			return s.ctx.Err()
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.relock()
}

// sleep blocks for d, or until ctx (nil: never) is cancelled.
func sleep(ctx context.Context, d time.Duration) error {
	if ctx == nil {
		time.Sleep(d)
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// slowServer is the loopback HTTP server behind http(d): it answers /wait?d=50ms after d,
// like the slow website in the seed's load_url example.
type slowServer struct {
	url    string // with the run's token as its path
	client *http.Client
	stop   func()
	guard  *guard // nil for a client of another process's server
}

// get fetches from the server, which answers after d, and reads the whole body.
// Cancelling ctx (nil: never) abandons the request.
func (s *slowServer) get(ctx context.Context, d time.Duration) error {
	if s == nil {
		return fmt.Errorf("http(%v): no loopback server was started", d)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url+"/wait?d="+d.String(), nil)
	if err != nil {
		return fmt.Errorf("http(%v): %w", d, err)
	}
	resp, err := s.client.Do(req)
	// A connection the server's guard closed before it read the request (another
	// user's flood, a machine too busy to send it within the guard's grace) got no
	// answer at all: ask again on a new one, as the request is only a wait.
	for try := 1; err != nil && try < getTries && ctx.Err() == nil && noAnswer(err); try++ {
		resp, err = s.client.Do(req)
	}
	if err != nil {
		return fmt.Errorf("http(%v): %w", d, err)
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return fmt.Errorf("http(%v): %w", d, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("http(%v): loopback server said %s", d, resp.Status)
	}
	return nil
}

// getTries is how often a fetch that got no answer is made.
const getTries = 5

// noAnswer reports whether err means the connection closed before any response.
func noAnswer(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET)
}

// newClient makes a client for the loopback server that keeps a connection per worker.
func newClient(url string) *slowServer {
	tr := &http.Transport{MaxIdleConns: 1024, MaxIdleConnsPerHost: 1024, MaxConnsPerHost: 0, DisableCompression: true}
	return &slowServer{url: url, client: &http.Client{Transport: tr, Timeout: 2 * time.Minute}}
}
