package cpython

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// MemoryWatch samples what a process tree holds (its PSS, summed: see
// timeline.Memory) while a run's tasks wait: once at the start, the base, then every
// memoryEvery until stopped, keeping the largest.
type MemoryWatch struct {
	root       int
	base, peak atomic.Int64
	stop       chan struct{}
	done       sync.WaitGroup
}

// memoryEvery is how often a MemoryWatch samples: reading a process's smaps_rollup
// walks its mappings, so a few times per waiting task's life is enough.
const memoryEvery = 20 * time.Millisecond

// WatchMemory starts sampling the tree under root (its own pid included) from base,
// what it held before the run (0: sample it now); nil where the system does not say
// what a process holds.
func WatchMemory(root int, base int64) *MemoryWatch {
	if base <= 0 {
		var ok bool
		if base, ok = treePSS(root); !ok {
			return nil
		}
	}
	w := &MemoryWatch{root: root, stop: make(chan struct{})}
	w.base.Store(base)
	w.peak.Store(base)
	w.done.Go(func() {
		t := time.NewTicker(memoryEvery)
		defer t.Stop()
		for {
			select {
			case <-w.stop:
				return
			case <-t.C:
				if v, ok := treePSS(w.root); ok && v > w.peak.Load() {
					w.peak.Store(v)
				}
			}
		}
	})
	return w
}

// Stop ends the sampling and records what it saw into rec, per task in flight.
func (w *MemoryWatch) Stop(rec *timeline.Recorder, inFlight int) {
	if w == nil {
		return
	}
	close(w.stop)
	w.done.Wait()
	rec.SetMemory(timeline.Memory{Base: w.base.Load(), Peak: w.peak.Load(), InFlight: inFlight})
}

// MeasuresMemory reports whether a run of spec measures its memory per task in
// flight: when its tasks only wait, so what they add is what a waiting client costs.
// It returns how many tasks are in flight at once.
func MeasuresMemory(spec experiment.Spec) (inFlight int, ok bool) {
	spec = spec.Normalized()
	for _, g := range spec.Tasks.Groups {
		for _, s := range g.Task.Steps {
			if s.Kind != experiment.IO && s.Kind != experiment.HTTP {
				return 0, false
			}
		}
	}
	n := spec.Tasks.Count()
	if spec.Model != experiment.Asyncio && spec.Model != experiment.PyAsyncio {
		n = min(n, spec.Workers)
	}
	return n, n > 0 && spec.Tasks.Phases() == 1
}
