package sim

import "sort"

// gate holds back each "then" phase until every task before it is done.
type gate struct {
	starts []int // index of each phase's first task
	done   int
	opened int // phases open so far (phase 0 always is)
}

func newGate(starts []int) *gate { return &gate{starts: starts, opened: 1} }

// open reports whether task i may start.
func (g *gate) open(i int) bool { return sort.SearchInts(g.starts, i+1)-1 < g.opened }

// finished counts n tasks done and reports whether a phase opened.
func (g *gate) finished(n int) bool {
	g.done += n
	was := g.opened
	for g.opened < len(g.starts) && g.starts[g.opened] <= g.done {
		g.opened++
	}
	return g.opened != was
}
