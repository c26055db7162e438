package pools

import (
	"context"
	"sync"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// startGate holds the first tasks that add to the shared counter, one per worker,
// until all of them have reached their first add step, as a threading.Barrier at the
// top of each thread would. Without it one thread can finish its increments before the
// other has started, and a race shows nothing lost. Only those tasks wait, once, and
// at most gateTimeout: a racer that never comes (a worker held up elsewhere) does not
// hold the others for good.
type startGate struct {
	gated   map[int32]bool
	mu      sync.Mutex
	arrived int
	open    chan struct{}
}

// gateTimeout bounds the wait at the start gate, as Barrier(timeout=…) does.
const gateTimeout = 2 * time.Second

// newStartGate gates the first min(workers, adders) adding tasks of the first phase
// that has any; nil when fewer than two would race.
func newStartGate(ts experiment.Tasks, workers int) *startGate {
	tasks, starts := ts.List(), append(ts.PhaseStarts(), ts.Count())
	for k := 0; k+1 < len(starts); k++ {
		var adders []int32
		for i := starts[k]; i < starts[k+1] && len(adders) < workers; i++ {
			if tasks[i].Increments() > 0 {
				adders = append(adders, int32(i))
			}
		}
		if len(adders) == 0 {
			continue
		}
		if len(adders) < 2 {
			return nil
		}
		g := &startGate{gated: map[int32]bool{}, open: make(chan struct{})}
		for _, i := range adders {
			g.gated[i] = true
		}
		return g
	}
	return nil
}

// wait blocks task i, when it is gated, until every gated task has arrived, the
// timeout passes or ctx is done.
func (g *startGate) wait(ctx context.Context, i int32) error {
	if g == nil || !g.gated[i] {
		return nil
	}
	g.mu.Lock()
	g.arrived++
	if g.arrived == len(g.gated) {
		close(g.open)
	}
	g.mu.Unlock()
	t := time.NewTimer(gateTimeout)
	defer t.Stop()
	select {
	case <-g.open:
	case <-t.C:
	case <-ctx.Done():
		return context.Cause(ctx)
	}
	return nil
}

// awaitRacers waits at the run's start gate before task i's first add step. The
// thread waits Idle and, under a GIL, without the lock, as a Python thread blocked in
// Barrier.wait() does.
func (s *stepper) awaitRacers(i int32) error {
	if s.gate == nil || !s.gate.gated[i] {
		return nil
	}
	s.p.enter(timeline.Idle, i)
	if s.unlock != nil {
		s.unlock()
	}
	ctx := s.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	if err := s.gate.wait(ctx, i); err != nil {
		return err
	}
	if s.relock != nil {
		return s.relock()
	}
	return nil
}
