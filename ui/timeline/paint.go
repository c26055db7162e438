package timeline

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/coreography/coreography/ui/common"
)

// This file turns cells into text. The timeline is a grid of cells, each a glyph and
// the tone that colours it; the painter writes a run of cells of one tone inside the
// escape codes that tone's style renders to.

type cell struct {
	r rune
	t common.Tone
}

// blankRow is a lane's row of cols cells before anything is drawn on it.
func blankRow(cols int) []cell {
	row := make([]cell, cols)
	for k := range row {
		row[k] = cell{r: common.GlyphBlank, t: common.ToneNone}
	}
	return row
}

// painter turns cells into text: plain runes, or runs of one tone wrapped in the
// escape codes its style renders to (computed once per theme, not per cell).
type painter struct {
	styled    bool
	gen       uint64 // the Styles generation the escapes were made from
	pre, post [common.NumTones]string
}

// plainPainter draws without colour, for headless output.
var plainPainter = &painter{}

// newPainter makes a painter for s; nil paints plain text.
func newPainter(s *common.Styles) *painter {
	if s == nil {
		return plainPainter
	}
	p := &painter{styled: true, gen: s.Gen()}
	for t := range common.NumTones {
		style, ok := s.Style(t)
		if !ok {
			continue
		}
		out := style.Render("X")
		if i := strings.Index(out, "X"); i >= 0 {
			p.pre[t], p.post[t] = out[:i], out[i+1:]
		}
	}
	return p
}

// current reports whether p still paints what s says: false once the theme changed.
func (p *painter) current(s *common.Styles) bool {
	if s == nil {
		return !p.styled
	}
	return p.styled && p.gen == s.Gen()
}

// paint writes cells, grouping runs of one tone so a frame emits few escape codes.
func (p *painter) paint(b *strings.Builder, cells []cell) {
	for i := 0; i < len(cells); {
		j := i
		for j < len(cells) && cells[j].t == cells[i].t {
			j++
		}
		pre := ""
		if p.styled {
			pre = p.pre[cells[i].t]
		}
		b.WriteString(pre)
		for _, c := range cells[i:j] {
			b.WriteRune(c.r)
		}
		if pre != "" {
			b.WriteString(p.post[cells[i].t])
		}
		i = j
	}
}

// text paints a string in one tone.
func (p *painter) text(s string, t common.Tone) string {
	if !p.styled || p.pre[t] == "" || s == "" {
		return s
	}
	return p.pre[t] + s + p.post[t]
}

// row is a lane: its label, cut and padded to labelW, then its cells.
func (p *painter) row(label string, labelW int, cells []cell) string {
	var b strings.Builder
	label = ansi.Truncate(label, labelW, common.GlyphEllipsis)
	b.WriteString(p.text(label, common.ToneSubtle))
	b.WriteString(strings.Repeat(" ", labelW-ansi.StringWidth(label)+1))
	p.paint(&b, cells)
	return b.String()
}

// drawing is a frame drawn: lane lines, the axis and the legend.
type Drawing struct {
	Lanes  []string
	Axis   string
	Legend string
	mixed  bool // some cell switched faster than it can show
	// watched: every trace is a watched program's, whose sleep is inferred (stateName)
	watched bool
	levels  bool // some core cell shows a busy level

	hidden   int  // lanes hidden without a line saying so: the legend says it
	inflight int  // an in-flight lane's ▇ stands for this many tasks; 0: none drawn
	results  bool // a results lane was drawn
	queue    bool // a queue lane was drawn
	counter  bool // a counter lane was drawn
}

func (d Drawing) String() string {
	var b strings.Builder
	for _, l := range d.Lanes {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	b.WriteString(d.Axis)
	b.WriteByte('\n')
	b.WriteString(d.Legend)
	return b.String()
}
