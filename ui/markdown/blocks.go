package markdown

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/coreography/coreography/internal/termsafe"
	"github.com/coreography/coreography/ui/common"
)

// mdRenderer lays out one parsed Markdown document, block by block: each block
// becomes lines of at most the width it is given, and a container (a quote, a list
// item) puts its marks before its children's lines, which it lays out narrower.
type mdRenderer struct {
	source []byte
	look   Look
	depth  int // quotes and lists around the block being laid out
}

// maxMarkdownDepth is how many quotes and lists deep text is still indented further.
// Deeper, it is laid out as at this depth: indented on, a few hundred levels would
// leave a column or none for the text and cost time quadratic in the depth.
const maxMarkdownDepth = 8

// nested lays out n's blocks inside a container whose marks take indent columns;
// indent is ignored (and the marks should be) past maxMarkdownDepth.
func (r *mdRenderer) nested(n ast.Node, width, indent int, tight bool) []string {
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > maxMarkdownDepth {
		indent = 0
	}
	return r.blocks(n, width-indent, tight)
}

// Marks drawn around blocks: Glamour's, which learners saw before.
const (
	ruleMark    = "--------"
	bulletMark  = "• "
	bulletWidth = 2 // cells of bulletMark
	codeIndent  = "  "
)

// blocks lays out the block children of n, a blank line between two; in a tight
// list's item, none.
func (r *mdRenderer) blocks(n ast.Node, width int, tight bool) []string {
	var out []string
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		lines := r.block(c, width)
		if len(lines) == 0 {
			continue
		}
		if len(out) > 0 && !tight {
			out = append(out, "")
		}
		out = append(out, lines...)
	}
	return out
}

func (r *mdRenderer) block(n ast.Node, width int) []string {
	s := r.look.styles
	switch n := n.(type) {
	case *ast.Paragraph:
		if rows, ok := r.pipeTable(n, width); ok {
			return rows
		}
		return r.inline(n, width, r.textStyle())
	case *ast.TextBlock:
		return r.inline(n, width, r.textStyle())
	case *ast.Heading:
		return r.heading(n, width)
	case *ast.ThematicBreak:
		if s == nil {
			return []string{ruleMark}
		}
		return []string{s.Rule.Render(ruleMark)}
	case *ast.CodeBlock:
		return r.code(n.Lines(), width)
	case *ast.FencedCodeBlock:
		return r.code(n.Lines(), width)
	case *ast.Blockquote:
		return r.quote(n, width)
	case *ast.List:
		return r.list(n, width)
	case *ast.HTMLBlock:
		return r.html(n, width)
	}
	return r.blocks(n, width, false)
}

// textStyle is the style body text starts from; none in the plain look.
func (r *mdRenderer) textStyle() lipgloss.Style {
	if r.look.styles == nil {
		return lipgloss.Style{}
	}
	return r.look.styles.Text
}

// heading: a level-1 heading is a bar of colour on a screen, the others keep their #
// marks; in plain text (a handout on paper) a heading is underlined, = under a
// level-1 heading and - under the others.
func (r *mdRenderer) heading(n *ast.Heading, width int) []string {
	s := r.look.styles
	if s != nil && n.Level == 1 {
		lines := r.inline(n, width-2, s.Title)
		pad := s.Title.Render(" ")
		for i, l := range lines {
			lines[i] = pad + l + pad
		}
		return lines
	}
	if s == nil {
		lines := r.inline(n, width, lipgloss.Style{})
		rule := "-"
		if n.Level == 1 {
			rule = "="
		}
		wide := 1
		for _, l := range lines {
			wide = max(wide, common.LineWidth(l))
		}
		return append(lines, strings.Repeat(rule, wide))
	}
	mark := strings.Repeat("#", n.Level) + " "
	return hang(r.inline(n, width-len(mark), s.Heading), s.Heading.Render(mark), len(mark))
}

// hang puts mark (width cells) before the first line and as many blanks before the
// others, so they read as one item; an empty block still shows its mark.
func hang(lines []string, mark string, width int) []string {
	if len(lines) == 0 {
		return []string{mark}
	}
	indent := strings.Repeat(" ", width)
	for i, l := range lines {
		switch {
		case i == 0:
			lines[i] = mark + l
		case l != "":
			lines[i] = indent + l
		}
	}
	return lines
}

// code lays out a code block indented, in the code colour: its lines as written,
// tabs expanded, a line too long for the width wrapped (the wrapped part indented a
// little more than the line), so no code is cut.
func (r *mdRenderer) code(lines *text.Segments, width int) []string {
	var out []string
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		line := strings.TrimRight(expandTabs(string(seg.Value(r.source))), " \r\n")
		for _, part := range wrapCode(termsafe.Strip(line), width-len(codeIndent)) {
			switch {
			case part == "":
				out = append(out, "")
			case r.look.styles == nil:
				out = append(out, codeIndent+part)
			default:
				out = append(out, codeIndent+r.look.styles.Code.Render(part))
			}
		}
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// wrapCode wraps a line of code to width at its blanks (or anywhere in a word longer
// than a line), its continuation lines indented two more than the line itself.
func wrapCode(line string, width int) []string {
	if common.LineWidth(line) <= width {
		return []string{line}
	}
	body := strings.TrimLeft(line, " ")
	lead := line[:len(line)-len(body)]
	if width-len(lead)-2 < 8 {
		lead = ""
	}
	parts := strings.Split(ansi.Wrap(body, max(width-len(lead)-2, 1), ""), "\n")
	for i := range parts {
		if i == 0 {
			parts[i] = lead + parts[i]
		} else {
			parts[i] = lead + "  " + parts[i]
		}
	}
	return parts
}

// expandTabs replaces tabs by blanks up to the next multiple of four columns.
func expandTabs(s string) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	col := 0
	for _, c := range s {
		if c == '\t' {
			n := 4 - col%4
			b.WriteString(strings.Repeat(" ", n))
			col += n
			continue
		}
		b.WriteRune(c)
		col++
	}
	return b.String()
}

// quote lays out a blockquote behind a bar, on its blank lines too.
func (r *mdRenderer) quote(n ast.Node, width int) []string {
	lines := r.nested(n, width, 2, false)
	if r.depth >= maxMarkdownDepth {
		return lines
	}
	bar := "|"
	if s := r.look.styles; s != nil {
		bar = s.Rule.Render("│")
	}
	for i, l := range lines {
		if l == "" {
			lines[i] = bar
		} else {
			lines[i] = bar + " " + l
		}
	}
	return lines
}

// list lays out a list's items behind bullets or numbers; a loose list (one with
// blank lines between its items in the source) keeps a blank line between them.
func (r *mdRenderer) list(n *ast.List, width int) []string {
	markWidth := bulletWidth
	if n.IsOrdered() {
		markWidth = len(strconv.Itoa(n.Start+n.ChildCount()-1)) + 2
	}
	var out []string
	num := n.Start
	for item := n.FirstChild(); item != nil; item = item.NextSibling() {
		mark := strings.TrimSuffix(bulletMark, " ")
		if n.IsOrdered() {
			mark = fmt.Sprintf("%*d%c", markWidth-2, num, n.Marker)
			num++
		}
		if s := r.look.styles; s != nil {
			mark = s.Text.Render(mark)
		}
		mark += " "
		if len(out) > 0 && !n.IsTight {
			out = append(out, "")
		}
		lines := r.nested(item, width, markWidth, n.IsTight)
		if r.depth >= maxMarkdownDepth {
			out = append(out, lines...)
			continue
		}
		out = append(out, hang(lines, mark, markWidth)...)
	}
	return out
}
