package timeline

import "sync"

// drawScratch is a drawing's working memory: the per-cell accumulators of the lanes
// and cores. A live panel draws 30 frames a second of the same size, so it is kept
// between frames rather than allocated and cleared anew each time; the pool keeps
// drawings on different goroutines (headless output, tests) apart.
type drawScratch struct {
	acc   laneAcc
	cores []coreAcc
}

var drawScratchPool = sync.Pool{New: func() any { return new(drawScratch) }}

// coreAccs is n core accumulators of cols cells, as empty as freshly made ones.
func (s *drawScratch) coreAccs(n, cols int) []coreAcc {
	if cap(s.cores) < n {
		s.cores = make([]coreAcc, n)
	}
	s.cores = s.cores[:n]
	for i := range s.cores {
		c := &s.cores[i]
		c.reset(cols)
		clear(c.best)
		clear(c.bestState)
	}
	return s.cores
}
