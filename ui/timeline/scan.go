package timeline

import (
	"math"

	"github.com/coreography/coreography/internal/timeline"
)

// This file reads a trace into per-cell figures: how long each lane spent in each
// state within each cell of the window, and on which core. It walks only the events
// inside the window, found with LaneData.Search; a cell holding more events than it
// can show is sampled, so a frame costs the same for a million events as for a
// thousand.

const nStates = int(timeline.NumStates)

const (
	// denseCell is how many events a cell may hold before it is sampled instead of
	// walked.
	denseCell = 24
	// cellSamples is how many evenly spaced events stand for a dense cell: enough that
	// a state holding a sixteenth of the cell shows up, few enough to stay cheap.
	cellSamples = 16
	// manyPieces is the piece count a sampled cell gets: any number far above the
	// two or so that a partial block can show, so the cell is never drawn as one.
	manyPieces = 1 << 10
	// edgeFraction is how close to a cell's edge, as a share of the cell, a stretch
	// must start or end to count as touching it: rounding of event times must not
	// turn a stretch that fills the cell into a partial block.
	edgeFraction = 0.02
)

// laneAcc is what one lane did within each cell of the window.
type laneAcc struct {
	cover  [][nStates]float64 // ns per state per cell
	first  []float64          // the on-CPU stretch: where it starts and ends in the cell
	last   []float64
	pieces []int // on-CPU stretches in the cell
	parts  []int // stretches of any state in the cell
}

func (a *laneAcc) reset(cells int) {
	if cap(a.cover) < cells {
		a.cover, a.first, a.last = make([][nStates]float64, cells), make([]float64, cells), make([]float64, cells)
		a.pieces, a.parts = make([]int, cells), make([]int, cells)
	}
	a.cover, a.first, a.last, a.pieces, a.parts = a.cover[:cells], a.first[:cells], a.last[:cells], a.pieces[:cells], a.parts[:cells]
	clear(a.cover)
	clear(a.pieces)
	clear(a.parts)
}

// add records that state st covered [s, e) of cell k (ns from the cell's start).
func (a *laneAcc) add(k int, s, e float64, st timeline.State) {
	a.cover[k][st] += e - s
	a.parts[k]++
	if st.OnCPU() {
		a.piece(k, s, e)
	}
}

func (a *laneAcc) piece(k int, s, e float64) {
	if a.pieces[k] == 0 {
		a.first[k], a.last[k] = s, e
	} else {
		a.first[k], a.last[k] = min(a.first[k], s), max(a.last[k], e)
	}
	a.pieces[k]++
}

// coreAcc is what one core did per cell: how long it was busy and which worker was on
// it most.
type coreAcc struct {
	laneAcc
	best      []int
	bestCover []float64
	bestState []timeline.State
}

func (c *coreAcc) reset(cells int) {
	c.laneAcc.reset(cells)
	if cap(c.best) < cells {
		c.best, c.bestCover, c.bestState = make([]int, cells), make([]float64, cells), make([]timeline.State, cells)
	}
	c.best, c.bestCover, c.bestState = c.best[:cells], c.bestCover[:cells], c.bestState[:cells]
	clear(c.bestCover)
}

// mergeCore adds one worker lane's time on a core to the core's cells, remembering
// the worker that was on it most.
func mergeCore(c *coreAcc, onCore []float64, onState []timeline.State, lane int, worker *laneAcc) {
	for k, d := range onCore {
		if d <= 0 {
			continue
		}
		c.cover[k][onState[k]] += d
		if worker.pieces[k] == 1 {
			c.piece(k, worker.first[k], worker.last[k])
		} else {
			c.pieces[k] += manyPieces
		}
		if d > c.bestCover[k] {
			c.best[k], c.bestCover[k], c.bestState[k] = lane, d, onState[k]
		}
	}
}

// scanner accumulates one lane over the window's cells.
type scanner struct {
	cells   int
	cellNs  float64
	start   int64 // absolute ns of cell 0
	end     int64 // absolute ns after which nothing is drawn
	cpuIdx  map[int16]int
	onCore  [][]float64 // per core per cell: this lane's on-CPU time there
	onState [][]timeline.State
}

// newScanner scans cols cells of cellNs from start, up to end, for the cores cpus.
func newScanner(cols int, cellNs float64, start, end int64, cpus []int) *scanner {
	sc := &scanner{cells: cols, cellNs: cellNs, start: start, end: end, cpuIdx: map[int16]int{}}
	for i, c := range cpus {
		sc.cpuIdx[int16(c)] = i
		sc.onCore = append(sc.onCore, make([]float64, cols))
		sc.onState = append(sc.onState, make([]timeline.State, cols))
	}
	return sc
}

func (s *scanner) cellStart(k int) int64 { return s.start + int64(math.Round(float64(k)*s.cellNs)) }

// scan fills acc with what lane l did, and onCore with where it did it.
func (s *scanner) scan(l timeline.LaneData, acc *laneAcc) {
	acc.reset(s.cells)
	for i := range s.onCore {
		clear(s.onCore[i])
	}
	if len(l.Events) == 0 {
		return
	}
	for k := range s.cells {
		a, b := s.cellStart(k), min(s.cellStart(k+1), s.end)
		if b <= a {
			break
		}
		i0, i1 := l.Search(a), l.Search(b-1)
		if i1 < 0 {
			continue
		}
		if i1-i0 > denseCell {
			s.sample(l.Events, max(i0, 0), i1, k, a, b, acc)
			continue
		}
		s.walk(l.Events, max(i0, 0), i1, k, a, b, acc)
	}
}

// walk adds every event ev[lo..hi] to cell k, which spans [a, b).
func (s *scanner) walk(ev []timeline.Event, lo, hi, k int, a, b int64, acc *laneAcc) {
	for i := lo; i <= hi; i++ {
		st := ev[i].State
		if st == timeline.Off || st >= timeline.NumStates {
			continue // off, or a state this build does not know
		}
		from, to := max(ev[i].T, a), b
		if i+1 < len(ev) {
			to = min(ev[i+1].T, b)
		}
		if to <= from {
			continue
		}
		fs, fe := float64(from-a), float64(to-a)
		acc.add(k, fs, fe, st)
		s.core(ev[i].CPU, k, fe-fs, st)
	}
}

// sample estimates a cell too dense to walk, ev[lo..hi], from evenly spaced events
// in it: each state's share of the sampled events' time is its share of the cell.
// Picking by index, not by time, reads one cache line per sample instead of a binary
// search's worth, which is what keeps a million-event frame fast.
func (s *scanner) sample(ev []timeline.Event, lo, hi, k int, a, b int64, acc *laneAcc) {
	var cover [nStates]float64
	total := 0.0
	n := hi - lo + 1
	cpus := [cellSamples]int16{}
	states := [cellSamples]timeline.State{}
	durs := [cellSamples]float64{}
	for j := range cellSamples {
		i := lo + (2*j+1)*n/(2*cellSamples)
		from, to := max(ev[i].T, a), b
		if i+1 < len(ev) {
			to = min(ev[i+1].T, b)
		}
		d := float64(max(to-from, 0))
		if ev[i].State >= timeline.NumStates {
			d = 0
		}
		cover[ev[i].State%timeline.NumStates] += d
		total += d
		cpus[j], states[j], durs[j] = ev[i].CPU, ev[i].State, d
	}
	if total <= 0 {
		return
	}
	scale := float64(b-a) / total
	for st := 1; st < nStates; st++ {
		acc.cover[k][st] += cover[st] * scale
	}
	for j := range cellSamples {
		if states[j] != timeline.Off {
			s.core(cpus[j], k, durs[j]*scale, states[j])
		}
	}
	acc.pieces[k], acc.parts[k] = manyPieces, manyPieces
}

func (s *scanner) core(cpu int16, k int, d float64, st timeline.State) {
	if !st.OnCPU() || cpu < 0 {
		return
	}
	if c, ok := s.cpuIdx[cpu]; ok {
		s.onCore[c][k] += d
		s.onState[c][k] = st
	}
}
