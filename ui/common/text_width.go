package common

import (
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// lineWidth is ansi.StringWidth, fast for the lines the panel draws 30 times a
// second: SGR escapes, ASCII and the one-column glyphs of the timeline are counted
// directly; anything else (wide or combining characters, other escapes) goes to
// ansi.StringWidth, which segments graphemes and costs ten times more.
func LineWidth(s string) int {
	w := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b:
			// Only SGR (ESC [ digits ; : m), what styles are painted with, is skipped
			// here; any other escape goes to the full parser.
			j := i + 1
			if j >= len(s) || s[j] != '[' {
				return ansi.StringWidth(s)
			}
			for j++; j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';' || s[j] == ':'); j++ {
			}
			if j >= len(s) || s[j] != 'm' {
				return ansi.StringWidth(s)
			}
			i = j + 1
		case c >= 0x20 && c < 0x7f:
			w++
			i++
		case c < 0x80:
			return ansi.StringWidth(s)
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if !oneColumn(r) {
				return ansi.StringWidth(s)
			}
			w++
			i += n
		}
	}
	return w
}

// oneColumn: block and box drawing, shades, and the punctuation, arrows and marks the
// screens draw with (the help bar's •, the axis's ▲), each one column wide in every
// terminal. A line with any other glyph is measured by ansi.StringWidth.
func oneColumn(r rune) bool {
	switch {
	case r >= 0x2500 && r <= 0x259f: // box drawing, block elements, shades
		return true
	case r >= 0x2190 && r <= 0x2193: // ← ↑ → ↓
		return true
	}
	switch r {
	case '·', '…', '×', '–', '—', 'µ', '•', '▲', '▸', '✓', '✗', '⊘':
		return true
	}
	return false
}
