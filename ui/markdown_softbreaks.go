package ui

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// softBreakParser parses Markdown the way Glamour does (GFM and definition lists), so
// the soft breaks it finds are the ones Glamour would see.
var softBreakParser = goldmark.New(goldmark.WithExtensions(extension.GFM, extension.DefinitionList)).Parser()

// joinSoftBreaks turns every soft line break (a plain newline inside a paragraph or a
// list item) into a space, as CommonMark says it means. Glamour v2.0.1 keeps soft
// breaks inside list items as hard newlines (glow#858, glamour#580), so a lesson's
// bullet wrapped at 80 columns in the source showed as a one-word line followed by a
// break wherever the window was not exactly the source's width. Hard breaks (two
// trailing spaces or a backslash) and code are left alone.
func joinSoftBreaks(src string) string {
	source := []byte(src)
	doc := softBreakParser.Parse(text.NewReader(source))
	// Spans of source to replace by one space: the newline and the indentation of the
	// continuation line after each soft break, in source order.
	var cuts [][2]int
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		t, ok := n.(*ast.Text)
		if !entering || !ok || !t.SoftLineBreak() || t.HardLineBreak() {
			return ast.WalkContinue, nil
		}
		if from, to, ok := lineBreakAt(source, t.Segment.Stop); ok {
			cuts = append(cuts, [2]int{from, to})
		}
		return ast.WalkContinue, nil
	})
	if len(cuts) == 0 {
		return src
	}
	out := make([]byte, 0, len(source))
	last := 0
	for _, c := range cuts {
		if c[0] < last {
			continue
		}
		out = append(out, source[last:c[0]]...)
		out = append(out, ' ')
		last = c[1]
	}
	return string(append(out, source[last:]...))
}

// lineBreakAt finds, from i, blanks, one newline and what opens the continuation line:
// indentation and, inside a blockquote, its > markers. Goldmark said the paragraph goes
// on there, so all of it is one space. It reports false when the bytes are not that.
func lineBreakAt(source []byte, i int) (from, to int, ok bool) {
	j := i
	for j < len(source) && (source[j] == ' ' || source[j] == '\t') {
		j++
	}
	if j < len(source) && source[j] == '\r' {
		j++
	}
	if j >= len(source) || source[j] != '\n' {
		return 0, 0, false
	}
	j++
	for j < len(source) && (source[j] == ' ' || source[j] == '\t' || source[j] == '>') {
		j++
	}
	if j >= len(source) || source[j] == '\n' {
		return 0, 0, false
	}
	return i, j, true
}
