package common

import (
	"image/color"
	"sync/atomic"

	"charm.land/lipgloss/v2"

	"github.com/coreography/coreography/internal/timeline"
)

// Styles is every colour, border and text attribute the app draws with, made once per
// theme; nothing builds a style inside View. Glyphs are apart, in glyphs.go.
type Styles struct {
	Title, Subtitle, Text, Subtle, Accent, Error, Good, Bad lipgloss.Style
	Header, Panel, Selected, HelpBar                        lipgloss.Style
	// Markdown draws lesson text.
	Markdown MarkdownStyles
	// State colours the timeline: each state also has a glyph (stateGlyphs), so the
	// timeline reads without colour too.
	State [timeline.NumStates]lipgloss.Style

	// gen tells one theme's styles from another's: what caches a rendering of them
	// (a painter) makes it again when gen changes.
	gen uint64
}

// Gen is the styles' generation: a rendering cached with an older one is stale.
func (s *Styles) Gen() uint64 { return s.gen }

// styleGens numbers the styles made, so every theme change is a new generation.
var styleGens atomic.Uint64

// Theme picks colours for the background and for projectors.
type Theme struct {
	Dark         bool
	HighContrast bool // --present
}

// NewStyles makes the styles for a theme.
func NewStyles(t Theme) *Styles {
	ld := lipgloss.LightDark(t.Dark)
	c := func(light, dark string) color.Color { return ld(lipgloss.Color(light), lipgloss.Color(dark)) }
	fg, subtle, accent := c("#1a1a1a", "#e8e8e8"), c("#6b6b6b", "#8a8a8a"), c("#6b3fd4", "#a98bff")
	if t.HighContrast {
		fg, subtle, accent = c("#000000", "#ffffff"), c("#333333", "#cccccc"), c("#0000c0", "#ffff00")
	}
	s := &Styles{
		Title:    lipgloss.NewStyle().Bold(true).Foreground(accent),
		Subtitle: lipgloss.NewStyle().Foreground(subtle),
		Text:     lipgloss.NewStyle().Foreground(fg),
		Subtle:   lipgloss.NewStyle().Foreground(subtle),
		Accent:   lipgloss.NewStyle().Foreground(accent),
		Error:    lipgloss.NewStyle().Bold(true).Foreground(c("#c00000", "#ff5f5f")),
		Good:     lipgloss.NewStyle().Foreground(c("#007a00", "#5fd75f")),
		Bad:      lipgloss.NewStyle().Foreground(c("#c00000", "#ff5f5f")),
		Header:   lipgloss.NewStyle().Bold(true).Foreground(fg),
		Panel:    lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(subtle),
		Selected: lipgloss.NewStyle().Bold(true).Foreground(accent),
		HelpBar:  lipgloss.NewStyle().Foreground(subtle),
		Markdown: newMarkdownStyles(fg, subtle, accent),
		gen:      styleGens.Add(1),
	}
	state := func(st timeline.State, light, dark string) {
		s.State[st] = lipgloss.NewStyle().Foreground(c(light, dark))
	}
	state(timeline.Off, "#ffffff", "#000000")
	state(timeline.Idle, "#9e9e9e", "#5f5f5f")
	state(timeline.Starting, "#b36b00", "#ffaf00")
	state(timeline.Running, "#008700", "#5fd75f")
	state(timeline.WaitGIL, "#c00000", "#ff5f5f")
	state(timeline.IO, "#005fd7", "#5fafff")
	state(timeline.Transfer, "#8700af", "#d787ff")
	state(timeline.Preempted, "#875f00", "#d7af5f")
	return s
}

// tone is what colours a cell of the timeline or a piece of chrome drawn with it: no
// colour, one of the chrome styles, or a timeline state's colour. It is its own type
// so a state and a style code can never be mixed up.
type Tone uint8

const (
	ToneNone Tone = iota
	ToneSubtle
	ToneAccent
	ToneHeader
	ToneError
	toneStates // state st is toneStates + st
	NumTones   = toneStates + Tone(timeline.NumStates)
)

// stateTone is the tone of a timeline state.
func StateTone(st timeline.State) Tone { return toneStates + Tone(st) }

// state is the timeline state a tone colours with, if it is one.
func (t Tone) State() (timeline.State, bool) {
	if t < toneStates || t >= NumTones {
		return 0, false
	}
	return timeline.State(t - toneStates), true
}

// style is the style a tone stands for in s; ok is false for toneNone.
func (s *Styles) Style(t Tone) (lipgloss.Style, bool) {
	if st, ok := t.State(); ok {
		return s.State[st], true
	}
	switch t {
	case ToneSubtle:
		return s.Subtle, true
	case ToneAccent:
		return s.Accent, true
	case ToneHeader:
		return s.Header, true
	case ToneError:
		return s.Error, true
	}
	return lipgloss.Style{}, false
}
