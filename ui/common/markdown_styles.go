package common

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// markdownStyles are what lesson Markdown is drawn with on a screen, in the theme's
// colours. The plain look, for files and pipes, draws none of them.
//
// Lessons learnt under Glamour, kept here:
//   - Code spans are not padded. Glamour padded them with a no-break space a side;
//     without colour (an ASCII profile, NO_COLOR) the pads were bare blanks, so
//     "(`cores: 1`)" read "( cores: 1 )". On a screen the colour marks the code.
//   - Plain text writes emphasis as plain words, not Markdown source (a handout
//     printed **bold** raw), and keeps the backticks around a code span, so
//     `2*cpu(100ms)` still reads as something to type.
//   - A soft line break is a blank, in list items too (Glamour kept them as newlines
//     there, glamour#580: a bullet wrapped in the source showed a one-word line
//     wherever the window was not exactly the source's width).
type MarkdownStyles struct {
	Text    lipgloss.Style // paragraphs, list items, quotes
	Title   lipgloss.Style // a level-1 heading: a bar of the accent colour
	Heading lipgloss.Style // the other headings, after their ## marks
	Code    lipgloss.Style // code spans and code blocks
	Link    lipgloss.Style // a link's text
	URL     lipgloss.Style // a link's address, after its text
	Rule    lipgloss.Style // thematic breaks and the bar beside a quote
}

func newMarkdownStyles(fg, subtle, accent color.Color) MarkdownStyles {
	return MarkdownStyles{
		Text: lipgloss.NewStyle().Foreground(fg),
		// Reversed, the accent is the bar and the terminal's background the letters:
		// readable on a dark or a light background, and still a bar without colour.
		Title:   lipgloss.NewStyle().Bold(true).Reverse(true).Foreground(accent),
		Heading: lipgloss.NewStyle().Bold(true).Foreground(accent),
		Code:    lipgloss.NewStyle().Foreground(accent),
		Link:    lipgloss.NewStyle().Foreground(accent).Underline(true),
		URL:     lipgloss.NewStyle().Foreground(subtle).Underline(true),
		Rule:    lipgloss.NewStyle().Foreground(subtle),
	}
}
