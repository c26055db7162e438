package common

import "github.com/coreography/coreography/internal/timeline"

// Every character the app draws with a meaning, by name. Colours are the theme's
// (styles.go); a glyph never depends on the theme, so the plain text renderer draws
// with these and no theme at all, and a timeline reads without colour.

// stateGlyphs draw each timeline state.
var StateGlyphs = [timeline.NumStates]rune{
	timeline.Off:       ' ',
	timeline.Idle:      '·',
	timeline.Starting:  '^',
	timeline.Running:   '█',
	timeline.WaitGIL:   '░',
	timeline.IO:        '~',
	timeline.Transfer:  '=',
	timeline.Preempted: ':',
}

const (
	GlyphBlank    = ' '
	GlyphFull     = '█'
	GlyphMixed    = '▒' // a cell a lane switched states in faster than it can show
	GlyphRightEnd = '▕' // a stretch starting in the last eighth of a cell
	GlyphRightMid = '▐' // a stretch starting in the cell's second half
	GlyphNow      = "▲" // where now is on the time axis
	GlyphCursor   = "▸ "
	GlyphNoCursor = "  "
	GlyphEllipsis = "…"
	GlyphRight    = "✓"
	GlyphWrong    = "✗"
	GlyphMore     = "↓" // text goes on below the fold
	GlyphAbove    = "↑" // text goes on above the fold
	GlyphAround   = "↕" // text goes on above and below the fold
)

// eighths are left-aligned blocks, one to eight eighths of a cell wide.
var Eighths = []rune(" ▏▎▍▌▋▊▉█")

// levels show how busy a core was in a cell it was busy in on and off.
var Levels = []rune("▁▂▃▄▅▆▇")

// laneMarks are the characters worker lanes are known by on the core lanes, in order;
// glyphManyLanes marks the lanes after them.
const (
	LaneMarks      = "123456789abcdefghijklmnopqrstuvwxyz"
	GlyphManyLanes = '*'
)
