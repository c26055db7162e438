package pools

import (
	"context"
	"sort"
	"sync"
	"sync/atomic"
)

// phaseGate holds back the tasks of a phase ("cpu(200ms) then 16*cpu(100ms)") until
// every task before it is done, as a program's parallel part waits for its serial
// prefix. With a single phase it is always open and costs one length check per task.
type phaseGate struct {
	starts []int           // index of each phase's first task, from experiment.Tasks.PhaseStarts
	opened []chan struct{} // opened[k] is closed once every task before starts[k] is done
	done   atomic.Int64

	mu       sync.Mutex
	nextOpen int // the first phase whose channel is not closed yet
}

func newPhaseGate(starts []int) *phaseGate {
	g := &phaseGate{starts: starts, opened: make([]chan struct{}, len(starts)), nextOpen: 1}
	for k := range g.opened {
		g.opened[k] = make(chan struct{})
	}
	close(g.opened[0])
	return g
}

// phaseOf is the phase task i belongs to.
func (g *phaseGate) phaseOf(i int) int { return sort.SearchInts(g.starts, i+1) - 1 }

// ready is the channel that is closed once task i may start.
func (g *phaseGate) ready(i int) <-chan struct{} {
	if len(g.starts) == 1 {
		return g.opened[0]
	}
	return g.opened[g.phaseOf(i)]
}

// isOpen reports, without waiting, whether task i may start.
func (g *phaseGate) isOpen(i int) bool {
	select {
	case <-g.ready(i):
		return true
	default:
		return false
	}
}

// wait blocks until task i may start or ctx is done.
func (g *phaseGate) wait(ctx context.Context, i int) error {
	select {
	case <-g.ready(i):
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// finished counts n more tasks done and opens every phase whose predecessors are.
func (g *phaseGate) finished(n int) {
	if len(g.starts) == 1 {
		return
	}
	done := g.done.Add(int64(n))
	g.mu.Lock()
	for g.nextOpen < len(g.starts) && int64(g.starts[g.nextOpen]) <= done {
		close(g.opened[g.nextOpen])
		g.nextOpen++
	}
	g.mu.Unlock()
}
