package pools

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// counter is the one counter a run's add(N) steps increment. A plain increment is an
// atomic load, then an atomic store of one more: never a Go data race, never an
// atomic add, so two threads that interleave between the load and the store lose an
// update, exactly as `counter += 1` does in C, Java or free-threaded Python.
type counter struct {
	v   atomic.Int64
	mu  sync.Mutex // add(N, lock): threading.Lock, sync.Mutex
	shm *sharedCounter
	// callShared makes add(N, call) a load and a store of shm without its lock, as
	// v.value += 1 on a multiprocessing.Value is in a worker process: the getter and
	// the setter each lock, nothing holds the lock across both.
	callShared bool
	// rec, when set, is sampled every addEvery increments (in-process runs): what the
	// counter reads against made, the increments made so far, draws it as it grows.
	rec  *timeline.Recorder
	made atomic.Int64
}

// newCounter makes a run's counter, with shared memory when a task adds through it
// (for worker processes, add(N, call) too: a Value's value += 1 without its lock).
func newCounter(ts experiment.Tasks, processes bool) (*counter, error) {
	c := &counter{}
	if ts.HasAdd(experiment.Shared) || (processes && ts.HasAdd(experiment.Call)) {
		shm, err := newSharedCounter()
		if err != nil {
			return nil, err
		}
		c.shm = shm
	}
	return c, nil
}

// close lets the shared memory go.
func (c *counter) close() {
	if c.shm != nil {
		c.shm.close()
	}
}

// sample records the counter after n more increments by the calling thread.
func (c *counter) sample(n int64) {
	made := c.made.Add(n)
	if c.rec != nil {
		c.rec.SampleCounter(timeline.CounterSample{T: timeline.Now(), Value: c.final(), Made: made})
	}
}

// errTaskFailed is what a fail step returns: the task ends as failed, the run goes on.
var errTaskFailed = errors.New("the task raised an exception (a fail step)")

// addEvery is how many increments run between the probe's clock samples and the
// run's cancellation checks when no GIL asks for finer ones.
const addEvery = 1024

// passThrough is the function call of add(N, call): a real call the compiler may not
// inline, between the load and the store.
//
//go:noinline
func passThrough(v int64) int64 { return v }

// add does step st's N increments of c. Under a GIL (gil true) check runs after every
// increment, CPython's check at a loop's backward jump, and for add(N, call) also
// between the load and the store, at the call: the only place a hand-off can land
// inside an increment. Otherwise check runs every addEvery increments.
func (s *stepper) add(c *counter, st experiment.Step) error {
	every := int64(addEvery)
	if s.gil {
		every = 1
	}
	reported := int64(0)
	for k := int64(1); k <= st.N; k++ {
		switch st.Sync {
		case experiment.Plain:
			c.v.Store(c.v.Load() + 1)
		case experiment.Call:
			if c.callShared {
				c.shm.racyIncrement()
				break
			}
			v := c.v.Load()
			if s.gil && s.check != nil {
				if err := s.check(); err != nil {
					return err
				}
			}
			c.v.Store(passThrough(v) + 1)
		case experiment.Lock:
			c.mu.Lock()
			c.v.Store(c.v.Load() + 1)
			c.mu.Unlock()
		case experiment.Shared:
			c.shm.increment()
		}
		if k%addEvery == 0 || k == st.N {
			c.sample(k - reported)
			reported = k
		}
		if k%every == 0 || k == st.N {
			if k%addEvery == 0 {
				s.p.tick()
			}
			if s.check != nil {
				if err := s.check(); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// final is what the counter reads at the end of a run: the shared memory's when a
// task went through it, the in-process counter's otherwise. A processes run's plain
// adds went to each worker's own copy, so its in-process counter stays 0.
func (c *counter) final() int64 {
	if c.shm != nil {
		return c.v.Load() + c.shm.load()
	}
	return c.v.Load()
}

// incrementCosts measures one increment of each kind alone on this thread: the
// fastest of a few runs, as Calibrate does for cpu(d). About a millisecond, once.
var incrementCosts = sync.OnceValue(func() [4]time.Duration {
	var out [4]time.Duration
	s := &stepper{p: newProbe(noLane{})}
	c := &counter{}
	if shm, err := newSharedCounter(); err == nil {
		c.shm = shm
		defer shm.close()
	}
	const n = 1 << 14
	for _, kind := range []experiment.Sync{experiment.Plain, experiment.Lock, experiment.Call, experiment.Shared} {
		if kind == experiment.Shared && c.shm == nil {
			out[kind] = out[experiment.Lock]
			continue
		}
		best := time.Duration(1<<63 - 1)
		for range 5 {
			start := time.Now()
			s.add(c, experiment.Step{Kind: experiment.Add, N: n, Sync: kind})
			best = min(best, time.Since(start))
		}
		out[kind] = max(best/n, 1)
	}
	return out
})

// noLane is a sink for work nobody draws, such as measuring increments.
type noLane struct{}

func (noLane) Append(timeline.Event) {}

// IncrementCost is what one increment of kind s costs alone on one idle core of this
// machine, measured once (about a millisecond) when first asked. The program that
// links pools hands it to experiment.SetIncrementCost, so that planned work and the
// limits count add(N) at this machine's speed; linking pools alone changes nothing.
func IncrementCost(s experiment.Sync) time.Duration { return incrementCosts()[min(int(s), 3)] }
