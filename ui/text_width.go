package ui

import (
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// lineWidth is ansi.StringWidth, fast for the lines the panel draws 30 times a
// second: SGR escapes, ASCII and the one-column glyphs of the timeline are counted
// directly; anything else (wide or combining characters, other escapes) goes to
// ansi.StringWidth, which segments graphemes and costs ten times more.
func lineWidth(s string) int {
	w := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b && i+1 < len(s) && s[i+1] == '[':
			// CSI: parameters and intermediates, then one final byte in 0x40..0x7e.
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				if s[j] < 0x20 {
					return ansi.StringWidth(s)
				}
				j++
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

// oneColumn: block and box drawing, shades, and the punctuation the timeline draws
// with, each one column wide in every terminal.
func oneColumn(r rune) bool {
	switch {
	case r >= 0x2500 && r <= 0x259f: // box drawing, block elements, shades
		return true
	case r == '·' || r == '…' || r == '×' || r == '–' || r == '—' || r == '▏' || r == 'µ':
		return true
	}
	return false
}
