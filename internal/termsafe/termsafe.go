// Package termsafe keeps text from strangers (lesson files, file names, traces) from
// driving the terminal: no escape sequence, OSC title or clipboard write, no cursor
// movement. Only newline and tab of the control characters survive.
package termsafe

import (
	"strings"
	"unicode/utf8"
)

// IsControl reports whether r is a control character a terminal may act on: C0
// (except newline and tab), DEL, and C1 (U+0080–U+009F: 8-bit CSI and OSC among them).
func IsControl(r rune) bool {
	return (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r <= 0x9f)
}

// Replacement stands in for a control character: one rune, so columns are kept.
const Replacement = '\uFFFD'

// Strip replaces every control character of s (see IsControl), and every byte that is
// not UTF-8, with Replacement.
func Strip(s string) string {
	clean := true
	for _, r := range s {
		if IsControl(r) || r == utf8.RuneError {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if IsControl(r) {
			r = Replacement
		}
		b.WriteRune(r) // RuneError for invalid bytes is Replacement already
	}
	return b.String()
}

// Find calls at for every control character of s, with its 1-based line and column
// (columns count runes, as editors do), in order. A CR counts: callers that accept
// CRLF line endings trim them first.
func Find(s string, at func(line, col int, r rune)) {
	line, col := 1, 1
	for _, r := range s {
		switch {
		case r == '\n':
			line, col = line+1, 1
			continue
		case IsControl(r):
			at(line, col, r)
		}
		col++
	}
}
