package timeline

import (
	"fmt"
	"math"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
)

// This file draws a frame: the one timeline drawing both the live TUI and headless
// text use. Each lane's cells are scanned (scan.go), turned into a glyph and
// a tone here, and painted (paint.go).

// mixedBelow: a cell a lane switched states in several times, none of them covering
// this share of it, is drawn as glyphMixed.
const mixedBelow = 0.8

// coreSolid is the share of a cell from which a core busy on and off shows the
// worker's mark instead of a busy level.
const coreSolid = 0.8

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
	closeUp  bool // worker lanes only: no rows that sum them up (counter, in flight, queue, results)

	coresFirst bool  // planning: core lanes give way before worker lanes (an I/O run)
	mostAtOnce []int // planning: per trace, the most tasks under way at once (maxInflight)
}

// seenCells is what the drawn cells showed, for the legend.
type seenCells struct {
	states      [nStates]bool
	workerMarks bool
	letterMarks bool // a mark past 9 (a-z, *): the legend says what the lane prefixes mean
	starMarks   bool // a lane past z, marked *
}

// draw draws a frame.
func (p *painter) draw(f frame) Drawing {
	labelW := labelWidth(f)
	cols := max(f.width-labelW-1, 1)
	d := Drawing{watched: isWatched(f.traces)}
	var seen seenCells
	plan := planLanes(f)
	for ti, t := range f.traces {
		if f.titles {
			d.Lanes = append(d.Lanes, p.text(FitTitle(t, f.width), common.ToneHeader))
		}
		if f.to > f.from {
			p.drawTrace(f, ti, plan[ti], labelW, cols, &d, &seen)
		}
	}
	d.Axis = p.axis(f, labelW, cols)
	d.Legend = p.legend(seen, &d, f.width)
	if f.width < labelW+2 {
		// Too narrow for even one cell beside a label: cut, never overflow.
		for i := range d.Lanes {
			d.Lanes[i] = ansi.Truncate(d.Lanes[i], f.width, "")
		}
		d.Axis = ansi.Truncate(d.Axis, f.width, "")
	}
	return d
}

// drawTrace adds the lanes of trace ti, as sec plans them, to d: core lanes, then
// worker lanes, each section with a note when lanes are hidden.
func (p *painter) drawTrace(f frame, ti int, sec sectionPlan, labelW, cols int, d *Drawing, seen *seenCells) {
	t := f.traces[ti]
	end := t.End
	if f.clip >= 0 {
		end = min(end, t.Begin+f.clip)
	}
	cpus := f.cpus[ti]
	sc := newScanner(cols, float64(f.to-f.from)/float64(cols), t.Begin+f.from, end, cpus)
	scratch := drawScratchPool.Get().(*drawScratch)
	defer drawScratchPool.Put(scratch)
	cores, acc := scratch.coreAccs(len(cpus), cols), &scratch.acc
	var workerLines []string
	var best [][]cellAt // a watched tree's: where each lane ran most (markEveryLane)
	if t.Model == watchModel {
		best = make([][]cellAt, len(t.Lanes))
	}
	for li, l := range t.Lanes {
		sc.scan(l, acc)
		if best != nil {
			bestCells(&best[li], sc.onCore, sc.onState)
		}
		if f.mode.workers() && li < sec.workers {
			name := compactName(l.Name, f.width, t.Model)
			label := laneLabel(li, name, len(t.Lanes) > 1 && f.mode.cores())
			prefixed := label != name // "a T10": the legend says what the prefix means
			if best != nil {
				label = fitLabel(label, labelW)
			}
			workerLines = append(workerLines, p.workerRow(li, label, prefixed, labelW, cols, sc, acc, d, seen))
		}
		for c := range cores {
			mergeCore(&cores[c], sc.onCore[c], sc.onState[c], li, acc)
		}
	}
	if f.mode.cores() {
		p.drawCores(f, cpus, cores[:sec.cores], sc.cellNs, labelW, cols, d, seen, best, sec.workers)
		if hidden := len(cpus) - sec.cores; hidden > 0 {
			d.noteHidden(p, hidden, "core", "", f, sec.notes)
		}
	}
	d.Lanes = append(d.Lanes, workerLines...)
	if hidden := len(t.Lanes) - sec.workers; f.mode.workers() && hidden > 0 {
		d.noteHidden(p, hidden, "worker", hiddenNames(t.Lanes[sec.workers:]), f, sec.notes)
	}
	p.drawSummaries(f, t, sec, end-t.Begin, labelW, cols, d)
}

// drawSummaries adds the lanes that sum a trace's workers up, under them: the
// shared counter, the tasks in flight, the queue of futures and where each ended.
func (p *painter) drawSummaries(f frame, t *timeline.Trace, sec sectionPlan, upTo int64, labelW, cols int, d *Drawing) {
	if f.mode.workers() && !f.closeUp && len(t.Counter) > 0 {
		d.Lanes = append(d.Lanes, p.counterRow(t, f.from, f.to, upTo, labelW, cols))
		d.counter = true
	}
	if sec.inflight > 0 {
		d.Lanes = append(d.Lanes, p.inflightRow(t, f.from, f.to, upTo, labelW, cols, sec.inflight))
		d.inflight = max(d.inflight, sec.inflight)
	}
	if sec.results {
		if hasQueue(t) {
			d.Lanes = append(d.Lanes, p.queueRow(t, f.from, f.to, upTo, labelW, cols))
			d.queue = true
		}
		d.Lanes = append(d.Lanes, p.resultsRow(t, f.from, f.to, upTo, labelW, cols))
		d.results = true
	}
}

// workerRow draws worker lane li, labelled label, prefixed by its mark or not.
func (p *painter) workerRow(li int, label string, prefixed bool, labelW, cols int, sc *scanner, acc *laneAcc, d *Drawing, seen *seenCells) string {
	row := make([]cell, cols)
	for k := range row {
		row[k] = workerCell(acc, k, sc.cellNs)
		seen.note(row[k])
		d.mixed = d.mixed || row[k].r == common.GlyphMixed
		if strings.ContainsRune(string(common.Levels), row[k].r) {
			// A ramp's gap is the lane's other states: the legend names them.
			d.levels = true
			seen.noteCover(acc.cover[k][:])
		}
	}
	if prefixed {
		seen.workerMarks, seen.letterMarks = true, seen.letterMarks || li >= 9
		seen.starMarks = seen.starMarks || li >= len(common.LaneMarks)
	}
	return p.row(label, labelW, row)
}

// noteHidden says that hidden lanes of a kind are not drawn: in a line of its own
// when the plan has room for it, else in the legend's first words.
func (d *Drawing) noteHidden(p *painter, hidden int, kind, names string, f frame, line bool) {
	if line {
		d.Lanes = append(d.Lanes, p.note(hiddenNote(hidden, kind, f.mode, names, p.styled), f.width))
		return
	}
	d.hidden += hidden
}

// drawCores adds the core lanes of one trace; best (a watched tree's, else nil)
// puts each of the first shown worker lanes' marks on the cores (markEveryLane).
func (p *painter) drawCores(f frame, cpus []int, cores []coreAcc, cellNs float64, labelW, cols int, d *Drawing, seen *seenCells, best [][]cellAt, shown int) {
	if len(cpus) == 0 {
		d.Lanes = append(d.Lanes, p.note("cores: this trace has no per-core data (recorded off Linux, or modelled)", f.width))
	}
	rows := make([][]cell, len(cores))
	for c := range cores {
		rows[c] = make([]cell, cols)
		for k := range rows[c] {
			rows[c][k] = coreCell(&cores[c], k, cellNs)
		}
	}
	if best != nil && f.mode.workers() {
		markEveryLane(rows, best, shown)
	}
	for c, row := range rows {
		for k := range row {
			seen.note(row[k])
			if li := strings.IndexRune(common.LaneMarks, row[k].r); li >= 0 || row[k].r == common.GlyphManyLanes {
				seen.workerMarks = true
				seen.letterMarks = seen.letterMarks || li >= 9 || row[k].r == common.GlyphManyLanes
				seen.starMarks = seen.starMarks || row[k].r == common.GlyphManyLanes
			}
			d.levels = d.levels || strings.ContainsRune(string(common.Levels), row[k].r)
		}
		d.Lanes = append(d.Lanes, p.row(coreLabel(cpus[c]), labelW, row))
	}
}

// note is a line about the lanes, in the subtle tone.
func (p *painter) note(s string, width int) string {
	return p.text(common.TruncateLine(s, width), common.ToneSubtle)
}

// hiddenNote says how many lanes of a kind are hidden, and which (names, for a
// page: " (T18–T101)"); on a screen (keys), with both kinds shown, how to make room.
func hiddenNote(hidden int, kind string, mode LaneMode, names string, keys bool) string {
	note := fmt.Sprintf("+%d %s %s hidden%s", hidden, kind, plural(hidden, "lane"), names)
	if !keys {
		return note // a page has no keys to press
	}
	note += " · v"
	// The mode that shows the hidden kind, and how many presses away it is: v goes
	// from both to cores only, then to workers only.
	if kind == "worker" && mode == LanesBoth {
		note += " twice: workers only"
	} else if kind == "core" && mode == LanesBoth {
		note += ": cores only"
	}
	return note
}

// noteCover records every state a cell's ramp stands for.
func (s *seenCells) noteCover(cover []float64) {
	for st, c := range cover {
		if c > 0 && st < nStates {
			s.states[st] = true
		}
	}
}

// note records the state a drawn cell shows.
func (s *seenCells) note(c cell) {
	if st, ok := c.t.State(); ok {
		s.states[st] = true
	}
}

// workerCell picks what a worker lane shows in cell k: nothing, the glyph of the state
// that covered most of it, or a partial block where a computing stretch starts or ends.
func workerCell(a *laneAcc, k int, cellNs float64) cell {
	best, bestCover := timeline.Off, 0.0
	for st := 1; st < nStates; st++ {
		c := a.cover[k][st]
		if c > bestCover || c == bestCover && c > 0 && timeline.State(st).OnCPU() {
			best, bestCover = timeline.State(st), c
		}
	}
	if bestCover <= 0 {
		return cell{common.GlyphBlank, common.ToneNone}
	}
	total := 0.0
	for _, c := range a.cover[k] {
		total += c
	}
	if a.parts[k] > 2 && bestCover < total*mixedBelow {
		// Switching faster than a cell can show: how much of it the lane computed,
		// as a height, so two threads sharing a core read as two half-busy lanes
		// rather than stripes that never happened. With no computing in it, a ramp
		// says nothing: mixed.
		if c, ok := rampCell(a, k, total); ok {
			return c
		}
		return cell{common.GlyphMixed, common.StateTone(best)}
	}
	// A computing stretch's edge is drawn to the eighth even where another state
	// covered more of the cell: that edge is what moves while a run is live.
	if run := a.cover[k][timeline.Running]; a.pieces[k] == 1 && run >= cellNs/8 && a.parts[k] <= 2 &&
		(best == timeline.Running || !best.OnCPU()) {
		best = timeline.Running
	}
	if best == timeline.Running && a.pieces[k] == 1 {
		if r, ok := partialBlock(a.first[k], a.last[k], a.cover[k][timeline.Running], cellNs); ok {
			return cell{r, common.StateTone(best)}
		}
	}
	return cell{common.StateGlyphs[best], common.StateTone(best)}
}

// rampCell draws the share of cell k a lane spent on a core, of the time it was
// alive there, as a level (a full block from 15/16), in the tone of the on-CPU
// state it spent most in; ok is false when it spent none.
func rampCell(a *laneAcc, k int, total float64) (cell, bool) {
	on, top := 0.0, timeline.Running
	for st := 1; st < nStates; st++ {
		if s := timeline.State(st); s.OnCPU() {
			on += a.cover[k][st]
			if a.cover[k][st] > a.cover[k][top] {
				top = s
			}
		}
	}
	if on <= 0 || total <= 0 {
		return cell{}, false
	}
	return cell{levelGlyph(on / total), common.StateTone(top)}, true
}

// levelGlyph is the level drawn for a share of a cell: ▁ to ▇, or a full block.
func levelGlyph(share float64) rune {
	if share >= 15.0/16 {
		return common.GlyphFull
	}
	return common.Levels[max(0, min(len(common.Levels)-1, int(math.Round(share*8))-1))]
}

// partialBlock draws one on-CPU stretch that touches one edge of its cell: eighths on
// the left (a stretch ending in the cell, as the live edge does), or the right-hand
// blocks Unicode has (▕ ▐) where one begins.
func partialBlock(first, last, cover, cellNs float64) (rune, bool) {
	frac := cover / cellNs
	left, right := first <= cellNs*edgeFraction, last >= cellNs*(1-edgeFraction)
	switch {
	case frac >= 15.0/16 || left && right:
		return common.GlyphFull, true
	case left:
		return common.Eighths[max(1, min(8, int(math.Round(frac*8))))], true
	case right:
		switch {
		case frac >= 0.75:
			return common.GlyphFull, true
		case frac >= 0.375:
			return common.GlyphRightMid, true
		}
		return common.GlyphRightEnd, true
	}
	return 0, false
}

// coreCell shows which worker ran on a core in cell k: its mark (1-9, a-z) coloured by
// what it was doing, or a partial block at the edge of a short stretch.
func coreCell(c *coreAcc, k int, cellNs float64) cell {
	busy := 0.0
	for _, v := range c.cover[k] {
		busy += v
	}
	if busy <= 0 {
		return cell{common.GlyphBlank, common.ToneNone}
	}
	t := common.StateTone(c.bestState[k])
	if c.pieces[k] == 1 && busy < cellNs/2 {
		if r, ok := partialBlock(c.first[k], c.last[k], busy, cellNs); ok && r != common.GlyphFull {
			return cell{r, t}
		}
	}
	if c.pieces[k] > 1 && busy < cellNs*coreSolid {
		// Busy on and off within the cell (GIL hand-offs, short tasks): how busy,
		// as a level, rather than a mark that would read as a solidly busy core.
		return cell{levelGlyph(min(busy/cellNs, 14.0/16)), t}
	}
	return cell{laneMark(c.best[k]), t}
}

// FitTitle is t's title in width: in full when it fits, else its name and the short
// spec ("name: gil ×2"), else its name, and cut only when even that is too wide, so a
// title says what ran rather than stopping mid-word.
func FitTitle(t *timeline.Trace, width int) string {
	full := t.Title()
	if common.LineWidth(full) <= width || t.Model == watchModel {
		return common.TruncateLine(full, width)
	}
	short := fmt.Sprintf("%s ×%d", t.Model, t.Workers)
	if t.Name != "" {
		if named := t.Name + ": " + short; common.LineWidth(named) <= width {
			return named
		}
		if common.LineWidth(t.Name) <= width {
			return t.Name
		}
		return common.TruncateLine(t.Name, width)
	}
	return common.TruncateLine(short, width)
}
