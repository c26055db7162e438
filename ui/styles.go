package ui

import (
	"image/color"

	"charm.land/lipgloss/v2"

	"github.com/coreography/coreography/timeline"
)

// Styles is every style the app draws with, made once per theme; nothing builds a
// style inside View.
type Styles struct {
	Title, Subtitle, Text, Subtle, Accent, Error, Good, Bad lipgloss.Style
	Header, Panel, Selected, HelpBar                        lipgloss.Style
	// State styles the timeline: each state has a colour *and* a glyph, so the
	// timeline reads without colour too.
	State [timeline.Preempted + 1]lipgloss.Style
	Glyph [timeline.Preempted + 1]rune
}

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
	}
	state := func(st timeline.State, glyph rune, light, dark string) {
		s.State[st] = lipgloss.NewStyle().Foreground(c(light, dark))
		s.Glyph[st] = glyph
	}
	state(timeline.Off, ' ', "#ffffff", "#000000")
	state(timeline.Idle, '·', "#9e9e9e", "#5f5f5f")
	state(timeline.Starting, '^', "#b36b00", "#ffaf00")
	state(timeline.Running, '█', "#008700", "#5fd75f")
	state(timeline.WaitGIL, '░', "#c00000", "#ff5f5f")
	state(timeline.IO, '~', "#005fd7", "#5fafff")
	state(timeline.Transfer, '=', "#8700af", "#d787ff")
	state(timeline.Preempted, ':', "#875f00", "#d7af5f")
	return s
}
