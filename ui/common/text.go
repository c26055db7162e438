package common

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

// The text helpers every screen shares: one of each.

// oneLine folds s, newlines and runs of blanks, into one line of single spaces. A
// no-break space stays: it holds a figure to its unit when the line is wrapped.
func OneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) && r != '\u00a0' }), " ")
}

// truncateLine cuts s to width cells, marking the cut.
func TruncateLine(s string, width int) string { return ansi.Truncate(s, width, GlyphEllipsis) }

// wrapText word-wraps plain text to width, paragraph by paragraph, cutting words
// longer than a line, and indents the lines after a paragraph's first so they read as
// one item.
func WrapText(text string, width int, indent string) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		out = append(out, wrapParagraph(OneLine(para), width, indent)...)
	}
	return out
}

func wrapParagraph(text string, width int, indent string) []string {
	if width <= len(indent)+1 {
		return []string{ansi.Truncate(text, max(width, 0), GlyphEllipsis)}
	}
	lines := strings.Split(ansi.Wrap(text, width, ""), "\n")
	if len(lines) <= 1 || indent == "" {
		return lines
	}
	// Wrap what follows the first line again, narrower by the indent.
	tail := strings.TrimSpace(strings.TrimPrefix(text, lines[0]))
	out := lines[:1]
	for _, l := range strings.Split(ansi.Wrap(tail, width-len(indent), ""), "\n") {
		out = append(out, indent+l)
	}
	return out
}

// fitLines cuts every line to width cells (ending a cut line with tail) and keeps at
// most height lines; with pad it adds blank lines up to exactly height. A screen that
// draws too much then never wraps or pushes what is below it away.
func FitLines(lines []string, width, height int, tail string, pad bool) string {
	if len(lines) > height {
		lines = lines[:height]
	}
	for i, l := range lines {
		if LineWidth(l) > width {
			lines[i] = ansi.Truncate(l, width, tail)
		}
	}
	for pad && len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// fitText is fitLines for a whole text. Most frames already fit, and then it is s
// itself: checked line by line in place, with no copy of the screen made to find out.
func FitText(s string, width, height int, tail string, pad bool) string {
	lines, fits := 0, true
	for rest, more := s, true; more && fits; lines++ {
		var line string
		line, rest, more = strings.Cut(rest, "\n")
		fits = LineWidth(line) <= width
	}
	if fits && (lines == height || !pad && lines < height) {
		return s
	}
	return FitLines(strings.Split(s, "\n"), width, height, tail, pad)
}

// trimLineEnds drops the blanks at the end of every line, which a file or a pipe
// should not carry and which would overflow a cut line.
func TrimLineEnds(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// lineCount is how many lines s takes; none when it is empty.
func LineCount(s string) int {
	if s == "" {
		return 0
	}
	return strings.Count(s, "\n") + 1
}

// firstNumber is the first run of digits in s, or "".
func FirstNumber(s string) string {
	i := strings.IndexAny(s, "0123456789")
	if i < 0 {
		return ""
	}
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	return s[i:j]
}

// WarmWidthTables builds the character width tables that Bubble Tea's renderer builds
// on the first glyph beyond ASCII it meets, once per program and not cheaply (see
// docs/performance.md). The app runs it beside its other start-up work, so that its
// first frame does not wait for them.
func WarmWidthTables() {
	ansi.WcWidth.StringWidth(GlyphEllipsis)
	ansi.GraphemeWidth.StringWidth(GlyphEllipsis)
}
