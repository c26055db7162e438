package markdown

import (
	"strings"

	"github.com/yuin/goldmark/ast"
)

// Markdown that CommonMark without extensions reads as something other than text: a
// table (GFM's) and blocks of raw HTML.

// pipeTable lays out a paragraph whose every line starts with a pipe, a GFM table:
// without the table extension it would flow into one line of pipes and dashes, so
// each row keeps its own line, as the author typed it (wrapped when too long).
func (r *mdRenderer) pipeTable(n *ast.Paragraph, width int) ([]string, bool) {
	lines := n.Lines()
	if lines.Len() < 2 {
		return nil, false
	}
	rows := make([]string, 0, lines.Len())
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		row := strings.TrimSpace(string(seg.Value(r.source)))
		if !strings.HasPrefix(row, "|") {
			return nil, false
		}
		rows = append(rows, row)
	}
	var out []string
	for _, row := range rows {
		var t inlineText
		t.add(row, 0)
		for _, line := range wrapWords(t.words(), max(width, 1)) {
			out = append(out, r.paint(line, r.textStyle()))
		}
	}
	return out, true
}

// words are the words of the first line collected.
func (t *inlineText) words() []word {
	if len(t.lines) == 0 {
		return nil
	}
	return t.lines[0]
}

// html shows the text of a block of HTML, its tags dropped (as Glamour's sanitizer
// did), as a paragraph. Comments, scripts, styles and declarations show nothing.
func (r *mdRenderer) html(n *ast.HTMLBlock, width int) []string {
	if n.HTMLBlockType != ast.HTMLBlockType6 && n.HTMLBlockType != ast.HTMLBlockType7 {
		return nil
	}
	var b strings.Builder
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(r.source))
	}
	if n.HasClosure() {
		b.Write(n.ClosureLine.Value(r.source))
	}
	var t inlineText
	t.add(r.textValue([]byte(dropTags(b.String())), false), 0)
	var out []string
	for _, line := range wrapWords(t.words(), max(width, 1)) {
		if l := r.paint(line, r.textStyle()); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// dropTags removes what lies between < and > (and a < left open, to the end).
func dropTags(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			return b.String()
		}
		s = s[i+j+1:]
	}
}
