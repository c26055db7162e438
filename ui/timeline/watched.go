package timeline

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
)

// This file draws what is particular to a watched program (`coreography watch`):
// lanes named "name · pid N · command", every lane's mark somewhere on the cores,
// and sleep worded as what it is inferred to be.

// watchModel is the model of a trace of a watched program.
const watchModel = "watch"

// isWatched reports whether every trace is of a watched program.
func isWatched(traces []*timeline.Trace) bool {
	for _, t := range traces {
		if t.Model != watchModel {
			return false
		}
	}
	return len(traces) > 0
}

// fitLabel fits a watched lane's label ("3 python3 · pid 4242 · python3 app.py")
// into width: the command is cut at its end, then dropped, then the name is cut,
// so the pid or tid is always whole.
func fitLabel(label string, width int) string {
	if ansi.StringWidth(label) <= width {
		return label
	}
	parts := strings.SplitN(label, " · ", 3)
	if len(parts) < 2 || !(strings.HasPrefix(parts[1], "pid ") || strings.HasPrefix(parts[1], "tid ")) {
		return ansi.Truncate(label, width, common.GlyphEllipsis)
	}
	id := " · " + parts[1]
	if len(parts) == 3 && ansi.StringWidth(parts[0]+id+" · ")+2 <= width {
		return ansi.Truncate(label, width, common.GlyphEllipsis)
	}
	if ansi.StringWidth(parts[0]+id) <= width {
		return parts[0] + id
	}
	room := width - ansi.StringWidth(id)
	if room < 3 {
		return ansi.Truncate(label, width, common.GlyphEllipsis)
	}
	return ansi.Truncate(parts[0], room, common.GlyphEllipsis) + id
}

// stateName is how the legend names a state: a watched program's sleep is inferred,
// not reported by the program, and is worded so.
func stateName(st timeline.State, watched bool) string {
	switch {
	case watched && st == timeline.WaitGIL:
		return "asleep (likely the GIL)"
	case watched && st == timeline.Idle:
		return "asleep"
	}
	return st.String()
}

// cellAt is one cell of one core lane.
type cellAt struct {
	core, col int
	cover     float64
	state     timeline.State
}

// candidates is how many of a lane's fullest cells markEveryLane may choose from.
const candidates = 6

// bestCells keeps, in best, the cells where a lane's time on the cores is largest,
// fullest first, for markEveryLane.
func bestCells(best *[]cellAt, onCore [][]float64, onState [][]timeline.State) {
	for c := range onCore {
		for k, d := range onCore[c] {
			if d <= 0 || (len(*best) == candidates && d <= (*best)[candidates-1].cover) {
				continue
			}
			at := cellAt{core: c, col: k, cover: d, state: onState[c][k]}
			i := len(*best)
			if i < candidates {
				*best = append(*best, at)
			} else {
				i--
			}
			for ; i > 0 && (*best)[i-1].cover < d; i-- {
				(*best)[i] = (*best)[i-1]
			}
			(*best)[i] = at
		}
	}
}

// markEveryLane puts the mark of every shown worker lane whose mark no core cell
// shows (a process too short to own a cell) in one of the cells where it ran most:
// one that holds no other lane's only mark, or whose lane can take another of its
// own cells instead. On a watched tree of short processes each lane can then be
// found on the cores by its number, as far as there are cells for them.
func markEveryLane(rows [][]cell, best [][]cellAt, shown int) {
	m := marker{rows: rows, best: best, count: map[rune]int{}}
	for _, row := range rows {
		for _, c := range row {
			m.count[c.r]++
		}
	}
	for li := 0; li < shown && li < len(best) && li < len(common.LaneMarks); li++ {
		if m.count[laneMark(li)] > 0 {
			continue
		}
		for _, b := range best[li] {
			if m.free(b, -1) || m.moveAway(b) {
				m.put(li, b)
				break
			}
		}
	}
}

// marker places marks on core rows, counting how often each shows.
type marker struct {
	rows  [][]cell
	best  [][]cellAt
	count map[rune]int
}

// free reports whether cell b may take a mark: it is on the rows and holds no lane's
// only mark (a mark of lane except, which is moving, does not count).
func (m *marker) free(b cellAt, except int) bool {
	if b.core >= len(m.rows) || b.col >= len(m.rows[b.core]) {
		return false
	}
	old := m.rows[b.core][b.col].r
	li := strings.IndexRune(common.LaneMarks, old)
	return li < 0 || li == except || m.count[old] > 1
}

// moveAway moves the only mark in cell b to another cell of its lane's, if one is free.
func (m *marker) moveAway(b cellAt) bool {
	if b.core >= len(m.rows) || b.col >= len(m.rows[b.core]) {
		return false
	}
	owner := strings.IndexRune(common.LaneMarks, m.rows[b.core][b.col].r)
	if owner < 0 || owner >= len(m.best) {
		return false
	}
	for _, c := range m.best[owner] {
		if (c.core != b.core || c.col != b.col) && m.free(c, -1) {
			m.put(owner, c)
			return true
		}
	}
	return false
}

// put shows lane's mark in cell b.
func (m *marker) put(lane int, b cellAt) {
	m.count[m.rows[b.core][b.col].r]--
	m.rows[b.core][b.col] = cell{laneMark(lane), common.StateTone(b.state)}
	m.count[laneMark(lane)]++
}
