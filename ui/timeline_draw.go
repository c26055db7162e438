package ui

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/coreography/coreography/timeline"
)

// This file is the one timeline drawing both the live TUI and headless text use: a
// frame is a grid of cells, each a glyph and the state that colours it. Drawing walks
// only the events inside the window, found with LaneData.Search; a cell holding more
// events than it can show is sampled, so a frame costs the same for a million events
// as for a thousand.

const nStates = int(timeline.Preempted) + 1

// LaneMode chooses which lanes the timeline shows.
type LaneMode int

const (
	LanesBoth    LaneMode = iota // cores, then workers
	LanesCores                   // what each core did
	LanesWorkers                 // what each worker did
)

func (m LaneMode) String() string { return [...]string{"cores+workers", "cores", "workers"}[m] }

func (m LaneMode) cores() bool   { return m != LanesWorkers }
func (m LaneMode) workers() bool { return m != LanesCores }

// Cell styles beyond the states.
const (
	styleNone   int8 = -1
	styleSubtle int8 = -2
	styleAccent int8 = -3
	styleHeader int8 = -4
	styleError  int8 = -5
)

type cell struct {
	r  rune
	st int8 // a timeline.State, or one of the style constants
}

// eighths are left-aligned blocks, one to eight eighths of a cell wide.
var eighths = []rune(" ▏▎▍▌▋▊▉█")

// mixedGlyph marks a cell a lane switched states in several times, none of them
// covering mixedBelow of it.
const (
	mixedGlyph = '▒'
	mixedBelow = 0.8
)

// denseCell is how many events a cell may hold before it is sampled instead of walked.
const (
	denseCell    = 24
	cellSamples  = 16
	manyPieces   = 1 << 10
	edgeFraction = 0.02
)

// painter turns cells into text: plain runes, or runs of one style wrapped in the
// escape codes that style renders to (computed once, not per cell).
type painter struct {
	glyph  [nStates]rune
	styled bool
	pre    map[int8]string
	post   map[int8]string
}

var plainGlyphs = NewStyles(Theme{Dark: true}).Glyph

func newPainter(s *Styles) *painter {
	if s == nil {
		return &painter{glyph: plainGlyphs}
	}
	p := &painter{glyph: s.Glyph, styled: true, pre: map[int8]string{}, post: map[int8]string{}}
	split := func(st int8, style interface{ Render(...string) string }) {
		out := style.Render("X")
		if i := strings.Index(out, "X"); i >= 0 {
			p.pre[st], p.post[st] = out[:i], out[i+1:]
		}
	}
	for i := range nStates {
		split(int8(i), s.State[i])
	}
	split(styleSubtle, s.Subtle)
	split(styleAccent, s.Accent)
	split(styleHeader, s.Header)
	split(styleError, s.Error)
	return p
}

// paint writes cells, grouping runs of one style so a frame emits few escape codes.
func (p *painter) paint(b *strings.Builder, cells []cell) {
	for i := 0; i < len(cells); {
		j := i
		for j < len(cells) && cells[j].st == cells[i].st {
			j++
		}
		pre, styled := "", p.styled && cells[i].st != styleNone
		if styled {
			pre = p.pre[cells[i].st]
			styled = pre != ""
		}
		if styled {
			b.WriteString(pre)
		}
		for _, c := range cells[i:j] {
			b.WriteRune(c.r)
		}
		if styled {
			b.WriteString(p.post[cells[i].st])
		}
		i = j
	}
}

// text paints a string in one style.
func (p *painter) text(s string, st int8) string {
	if !p.styled || p.pre[st] == "" || s == "" {
		return s
	}
	return p.pre[st] + s + p.post[st]
}

// frame is what one drawing needs.
type frame struct {
	traces   []*timeline.Trace
	cpus     [][]int // per trace: cores seen, in order
	from, to int64   // window, ns since each trace's begin
	now      int64   // ns since begin where the now marker goes; <0: none
	clip     int64   // replay: nothing after this, ns since begin; <0: none
	mode     LaneMode
	width    int
	maxLanes int  // lines for lanes, titles and notes (not axis or legend); <=0: no limit
	titles   bool // a title line above each trace
}

// drawing is a frame drawn: lane lines, the axis and the legend.
type drawing struct {
	lanes  []string
	axis   string
	legend string
	mixed  bool // some cell switched faster than it can show
	levels bool // some core cell shows a busy level
}

func (d drawing) String() string {
	var b strings.Builder
	for _, l := range d.lanes {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	b.WriteString(d.axis)
	b.WriteByte('\n')
	b.WriteString(d.legend)
	return b.String()
}

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

func (s *scanner) cellStart(k int) int64 { return s.start + int64(math.Round(float64(k)*s.cellNs)) }

// scan fills acc with what lane l did, and onCore with where it did it.
func (s *scanner) scan(l timeline.LaneData, acc *laneAcc) {
	acc.reset(s.cells)
	for i := range s.onCore {
		clear(s.onCore[i])
	}
	ev := l.Events
	if len(ev) == 0 {
		return
	}
	for k := range s.cells {
		a, b := s.cellStart(k), s.cellStart(k+1)
		b = min(b, s.end)
		if b <= a {
			break
		}
		i0, i1 := l.Search(a), l.Search(b-1)
		if i1 < 0 {
			continue
		}
		if i1-i0 > denseCell {
			s.sample(ev, max(i0, 0), i1, k, a, b, acc)
			continue
		}
		for i := max(i0, 0); i <= i1; i++ {
			st := ev[i].State
			if st == timeline.Off || int(st) >= nStates {
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
		if int(ev[i].State) >= nStates {
			d = 0
		}
		cover[ev[i].State%timeline.State(nStates)] += d
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

// draw draws a frame.
func (p *painter) draw(f frame) drawing {
	labelW := labelWidth(f)
	cols := max(f.width-labelW-1, 1)
	window := f.to - f.from
	var d drawing
	seen := [nStates]bool{}
	workerMarks := false
	plan := planLanes(f)
	for ti, t := range f.traces {
		sec := plan[ti]
		if f.titles {
			d.lanes = append(d.lanes, p.text(ansi.Truncate(traceTitle(t), f.width, "…"), styleHeader))
		}
		if window <= 0 {
			continue
		}
		end := t.End
		if f.clip >= 0 {
			end = min(end, t.Begin+f.clip)
		}
		sc := &scanner{cells: cols, cellNs: float64(window) / float64(cols), start: t.Begin + f.from, end: end, cpuIdx: map[int16]int{}}
		cpus := f.cpus[ti]
		for i, c := range cpus {
			sc.cpuIdx[int16(c)] = i
			sc.onCore = append(sc.onCore, make([]float64, cols))
			sc.onState = append(sc.onState, make([]timeline.State, cols))
		}
		cores := make([]coreAcc, len(cpus))
		for i := range cores {
			cores[i].reset(cols)
		}
		var acc laneAcc
		var workerLines []string
		for li, l := range t.Lanes {
			sc.scan(l, &acc)
			if f.mode.workers() && li < sec.workers {
				row := make([]cell, cols)
				for k := range row {
					row[k] = workerCell(&acc, k, sc.cellNs, p.glyph)
					if row[k].st >= 0 {
						seen[row[k].st] = true
						d.mixed = d.mixed || row[k].r == mixedGlyph
					}
				}
				workerLines = append(workerLines, p.row(laneLabel(li, l.Name, len(t.Lanes) > 1), labelW, row))
			}
			for c := range cores {
				mergeCore(&cores[c], sc.onCore[c], sc.onState[c], li, &acc)
			}
		}
		if f.mode.cores() {
			if len(cpus) == 0 {
				d.lanes = append(d.lanes, p.text(ansi.Truncate("cores: this trace has no per-core data (recorded off Linux, or modelled)", f.width, "…"), styleSubtle))
			}
			for c := range cpus[:sec.cores] {
				row := make([]cell, cols)
				for k := range row {
					row[k] = coreCell(&cores[c], k, sc.cellNs, p.glyph)
					if row[k].st >= 0 {
						seen[row[k].st] = true
						workerMarks = workerMarks || row[k].r == laneMark(cores[c].best[k])
						d.levels = d.levels || strings.ContainsRune(string(levels), row[k].r)
					}
				}
				d.lanes = append(d.lanes, p.row(fmt.Sprintf("core %d", cpus[c]), labelW, row))
			}
			if hidden := len(cpus) - sec.cores; hidden > 0 && sec.notes {
				d.lanes = append(d.lanes, p.text(truncateLine(fmt.Sprintf("… %d more core lanes", hidden), f.width), styleSubtle))
			}
		}
		d.lanes = append(d.lanes, workerLines...)
		if hidden := len(t.Lanes) - sec.workers; f.mode.workers() && hidden > 0 && sec.notes {
			note := fmt.Sprintf("… %d more worker lanes", hidden)
			if f.mode == LanesBoth {
				note += " (v: cores only)" // v's next mode; from workers only it brings cores back
			}
			d.lanes = append(d.lanes, p.text(truncateLine(note, f.width), styleSubtle))
		}
	}
	d.axis = p.axis(f, labelW, cols)
	d.legend = p.legend(seen, workerMarks, d.mixed, d.levels, f.width)
	if f.width < labelW+2 {
		// Too narrow for even one cell beside a label: cut, never overflow.
		for i := range d.lanes {
			d.lanes[i] = ansi.Truncate(d.lanes[i], f.width, "")
		}
		d.axis = ansi.Truncate(d.axis, f.width, "")
	}
	return d
}

// sectionPlan is how many lanes of one trace fit, and whether a line says how many
// are hidden.
type sectionPlan struct {
	cores, workers int
	notes          bool
}

// planLanes fits the lanes into maxLanes lines, taking worker lanes away first (from
// the trace that shows most), then core lanes; a trace that loses lanes says so in a
// line. Hiding one lane behind a "… 1 more" line gains nothing, so a section is only
// cut where that saves a line. When the notes do not fit or cost core lanes, the plan
// without them wins: the lanes are what the learner came to see.
func planLanes(f frame) []sectionPlan {
	plan := fullPlan(f, true)
	if f.maxLanes <= 0 || planLines(f, plan) <= f.maxLanes {
		return plan
	}
	for planLines(f, plan) > f.maxLanes && shrinkOne(f, plan) {
	}
	bare := fullPlan(f, false)
	for planLines(f, bare) > f.maxLanes && shrinkOne(f, bare) {
	}
	if planLines(f, plan) > f.maxLanes || lanesShown(f, bare) > lanesShown(f, plan) {
		return bare
	}
	return plan
}

// fullPlan shows every lane.
func fullPlan(f frame, notes bool) []sectionPlan {
	plan := make([]sectionPlan, len(f.traces))
	for i, t := range f.traces {
		plan[i] = sectionPlan{cores: len(f.cpus[i]), workers: len(t.Lanes), notes: notes}
	}
	return plan
}

// lanesShown is how many lanes plan draws: core lanes when the mode shows them, as
// they say what the machine did, else worker lanes.
func lanesShown(f frame, plan []sectionPlan) int {
	n := 0
	for _, p := range plan {
		if f.mode.cores() {
			n += p.cores
		} else {
			n += p.workers
		}
	}
	return n
}

// planLines is how many lines plan draws.
func planLines(f frame, plan []sectionPlan) int {
	n := 0
	for i, t := range f.traces {
		if f.titles {
			n++
		}
		if f.mode.cores() {
			n += sectionLines(plan[i].cores, len(f.cpus[i]), plan[i].notes)
			if len(f.cpus[i]) == 0 {
				n++ // the "no per-core data" note
			}
		}
		if f.mode.workers() {
			n += sectionLines(plan[i].workers, len(t.Lanes), plan[i].notes)
		}
	}
	return n
}

// sectionLines is the lines of a section showing shown of all lanes.
func sectionLines(shown, all int, notes bool) int {
	if shown < all && notes {
		return shown + 1
	}
	return shown
}

// shrinkOne hides lanes of one section so that the plan draws fewer lines: worker
// lanes of the trace showing most of them first, then core lanes. It reports false
// when no section can shrink.
func shrinkOne(f frame, plan []sectionPlan) bool {
	before := planLines(f, plan)
	for _, cores := range []bool{false, true} {
		if (cores && !f.mode.cores()) || (!cores && !f.mode.workers()) {
			continue
		}
		// Candidates by lanes shown, most first; the first whose cut saves a line wins.
		order := make([]int, len(plan))
		for i := range order {
			order[i] = i
		}
		count := func(i int) *int {
			if cores {
				return &plan[i].cores
			}
			return &plan[i].workers
		}
		slices.SortStableFunc(order, func(a, b int) int { return *count(b) - *count(a) })
		for _, i := range order {
			n := count(i)
			was := *n
			for *n > 0 {
				*n--
				if planLines(f, plan) < before {
					return true
				}
			}
			*n = was
		}
	}
	return false
}

// workerCell picks what a worker lane shows in cell k: nothing, the glyph of the state
// that covered most of it, or a partial block where a computing stretch starts or ends.
func workerCell(a *laneAcc, k int, cellNs float64, glyph [nStates]rune) cell {
	best, bestCover := timeline.Off, 0.0
	for st := 1; st < nStates; st++ {
		c := a.cover[k][st]
		if c > bestCover || c == bestCover && c > 0 && timeline.State(st).OnCPU() {
			best, bestCover = timeline.State(st), c
		}
	}
	if bestCover <= 0 {
		return cell{' ', styleNone}
	}
	total := 0.0
	for _, c := range a.cover[k] {
		total += c
	}
	if a.parts[k] > 2 && bestCover < total*mixedBelow {
		// Switching faster than a cell can show: say so rather than let the
		// dominant state alias into stripes that never happened.
		return cell{mixedGlyph, int8(best)}
	}
	// A computing stretch's edge is drawn to the eighth even where another state
	// covered more of the cell: that edge is what moves while a run is live.
	if run := a.cover[k][timeline.Running]; a.pieces[k] == 1 && run >= cellNs/8 && a.parts[k] <= 2 &&
		(best == timeline.Running || !best.OnCPU()) {
		best = timeline.Running
	}
	if best == timeline.Running && a.pieces[k] == 1 {
		if r, ok := partialBlock(a.first[k], a.last[k], a.cover[k][timeline.Running], cellNs); ok {
			return cell{r, int8(best)}
		}
	}
	return cell{glyph[best], int8(best)}
}

// partialBlock draws one on-CPU stretch that touches one edge of its cell: eighths on
// the left (a stretch ending in the cell, as the live edge does), or the right-hand
// blocks Unicode has (▕ ▐) where one begins.
func partialBlock(first, last, cover, cellNs float64) (rune, bool) {
	frac := cover / cellNs
	left, right := first <= cellNs*edgeFraction, last >= cellNs*(1-edgeFraction)
	switch {
	case frac >= 15.0/16 || left && right:
		return '█', true
	case left:
		return eighths[max(1, min(8, int(math.Round(frac*8))))], true
	case right:
		switch {
		case frac >= 0.75:
			return '█', true
		case frac >= 0.375:
			return '▐', true
		}
		return '▕', true
	}
	return 0, false
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

// coreCell shows which worker ran on a core in cell k: its mark (1-9, a-z) coloured by
// what it was doing, or a partial block at the edge of a short stretch.
func coreCell(c *coreAcc, k int, cellNs float64, glyph [nStates]rune) cell {
	busy := 0.0
	for _, v := range c.cover[k] {
		busy += v
	}
	if busy <= 0 {
		return cell{' ', styleNone}
	}
	st := c.bestState[k]
	if c.pieces[k] == 1 && busy < cellNs/2 {
		if r, ok := partialBlock(c.first[k], c.last[k], busy, cellNs); ok && r != '█' {
			return cell{r, int8(st)}
		}
	}
	if c.pieces[k] > 1 && busy < cellNs*coreSolid {
		// Busy on and off within the cell (GIL hand-offs, short tasks): how busy,
		// as a level, rather than a mark that would read as a solidly busy core.
		return cell{levels[max(0, min(len(levels)-1, int(math.Round(busy/cellNs*8))-1))], int8(st)}
	}
	return cell{laneMark(c.best[k]), int8(st)}
}

// levels show how busy a core was in a cell it was busy in on and off; coreSolid is
// the share from which it shows the worker's mark instead.
var levels = []rune("▁▂▃▄▅▆▇")

const coreSolid = 0.8

// laneMark is the character a worker lane is known by on the core lanes.
func laneMark(lane int) rune {
	const marks = "123456789abcdefghijklmnopqrstuvwxyz"
	if lane < len(marks) {
		return rune(marks[lane])
	}
	return '*'
}

// laneLabel names a worker lane, prefixed by its mark when core lanes may show it.
func laneLabel(lane int, name string, marked bool) string {
	if !marked || firstNumber(name) == string(laneMark(lane)) {
		return name // "T1", "worker 2 · pid 4312" already carry their mark
	}
	return string(laneMark(lane)) + " " + name
}

const maxLabel = 22

func labelWidth(f frame) int {
	w := len("core 00")
	for i, t := range f.traces {
		for _, c := range f.cpus[i] {
			w = max(w, ansi.StringWidth(fmt.Sprintf("core %d", c)))
		}
		if f.mode.workers() {
			for li, l := range t.Lanes {
				w = max(w, ansi.StringWidth(laneLabel(li, l.Name, len(t.Lanes) > 1)))
			}
		}
	}
	return min(w, maxLabel, max(f.width/4, 6))
}

func (p *painter) row(label string, labelW int, cells []cell) string {
	var b strings.Builder
	label = ansi.Truncate(label, labelW, "…")
	b.WriteString(p.text(label, styleSubtle))
	b.WriteString(strings.Repeat(" ", labelW-ansi.StringWidth(label)+1))
	p.paint(&b, cells)
	return b.String()
}

// axis is the time line under the lanes: round times in one unit and, while a run is
// live or replaying, a ▲ at now.
func (p *painter) axis(f frame, labelW, cols int) string {
	row := make([]cell, cols)
	for i := range row {
		row[i] = cell{' ', styleSubtle}
	}
	if f.to <= f.from {
		return p.row("", labelW, row)
	}
	perCol := float64(f.to-f.from) / float64(cols)
	lo, hi := cols, -1 // columns the now label takes
	if f.now >= f.from && f.now <= f.to {
		col := min(int(float64(f.now-f.from)/perCol), cols-1)
		label := []rune("▲" + formatDur(time.Duration(f.now)))
		start := col
		if start+len(label) > cols {
			label = []rune(formatDur(time.Duration(f.now)) + "▲")
			start = col - len(label) + 1
		}
		if start >= 0 {
			for i, r := range label {
				row[start+i] = cell{r, styleAccent}
			}
			lo, hi = start, start+len(label)-1
		}
	}
	for _, t := range axisTicks(f.from, f.to, cols) {
		end := t.col + len([]rune(t.label)) - 1
		if end >= lo-1 && t.col <= hi+1 {
			continue
		}
		for i, r := range []rune(t.label) {
			row[t.col+i] = cell{r, styleSubtle}
		}
	}
	return p.row("", labelW, row)
}

// legend explains the glyphs drawn, in as many states as fit.
func (p *painter) legend(seen [nStates]bool, workerMarks, mixed, busyLevels bool, width int) string {
	var parts []string
	order := []timeline.State{timeline.Running, timeline.WaitGIL, timeline.Preempted, timeline.IO, timeline.Transfer, timeline.Starting, timeline.Idle}
	any := false
	for _, st := range order {
		any = any || seen[st]
	}
	for _, st := range order {
		if seen[st] || !any {
			parts = append(parts, p.text(string(p.glyph[st]), int8(st))+" "+st.String())
		}
	}
	if mixed {
		parts = append(parts, string(mixedGlyph)+" mixed (zoom in)")
	}
	if workerMarks {
		parts = append(parts, "1-9 on a core: the worker")
	}
	if busyLevels {
		parts = append(parts, "▄ core part busy")
	}
	var b strings.Builder
	w := 0
	for _, part := range parts {
		pw := ansi.StringWidth(part)
		if w > 0 && w+2+pw > width {
			break
		}
		if w > 0 {
			b.WriteString("  ")
			w += 2
		}
		if pw > width {
			break
		}
		b.WriteString(part)
		w += pw
	}
	return b.String()
}

// traceTitle says what a trace ran, in one line.
func traceTitle(t *timeline.Trace) string {
	title := fmt.Sprintf("%s · %d %s · %d %s · %d tasks", t.Model, t.Workers, plural(t.Workers, "worker", "workers"),
		t.Cores, plural(t.Cores, "core", "cores"), t.Tasks)
	if t.Name != "" {
		title = t.Name + ": " + title
	}
	return title
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func truncateLine(s string, width int) string { return ansi.Truncate(s, width, "…") }

// firstNumber is the first run of digits in s, or "".
func firstNumber(s string) string {
	i := strings.IndexAny(s, "0123456789")
	if i < 0 {
		return ""
	}
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	return s[i:j]
}
