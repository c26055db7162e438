package markdown

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"

	"github.com/coreography/coreography/internal/termsafe"
	"github.com/coreography/coreography/ui/common"
)

// Inline Markdown (the text of a paragraph, a heading, a list item) is read into
// words of styled spans, wrapped into lines, and only then painted, line by line: a
// style never runs on past the end of a line, so the viewport can show any line
// alone, and a cut line cannot leave a style open on what is drawn after it. (That
// is why this wraps words itself rather than wrapping painted text with ansi.Wrap.)

// spanKind is what a piece of inline text is, as bits.
type spanKind uint8

const (
	spanStrong spanKind = 1 << iota
	spanEmph
	spanCode
	spanLink // a link's text
	spanURL  // a link's address, shown after its text
)

// span is text drawn in one style.
type span struct {
	text string
	kind spanKind
}

// word is what a line may not be broken inside (but for a word longer than a line):
// its spans, and the kind of the blank before it.
type word struct {
	spans []span
	blank spanKind
}

func (w word) width() int {
	n := 0
	for _, s := range w.spans {
		n += common.LineWidth(s.text)
	}
	return n
}

// inlineText collects words, line by line: a hard line break starts a new line, a
// soft one is a blank (CommonMark), and runs of blanks are one.
type inlineText struct {
	lines   [][]word
	blanked bool // a blank came since the last word
	blank   spanKind
}

func (t *inlineText) add(s string, k spanKind) {
	for s != "" {
		i := strings.IndexAny(s, " \t\n\r\v\f")
		if i < 0 {
			t.addWord(s, k)
			return
		}
		if i > 0 {
			t.addWord(s[:i], k)
		}
		t.space(k)
		s = s[i+1:]
	}
}

// addWord adds s to the last word, or starts a word after a blank.
func (t *inlineText) addWord(s string, k spanKind) {
	s = termsafe.Strip(s)
	if len(t.lines) == 0 {
		t.lines = [][]word{nil}
	}
	line := &t.lines[len(t.lines)-1]
	if t.blanked || len(*line) == 0 {
		*line = append(*line, word{blank: t.blank})
		t.blanked = false
	}
	// Spans of one kind side by side are joined when painted, not here, where
	// joining strings piece by piece would cost the square of a long word.
	w := &(*line)[len(*line)-1]
	w.spans = append(w.spans, span{s, k})
}

func (t *inlineText) space(k spanKind) {
	if !t.blanked {
		t.blanked, t.blank = true, k
	}
}

func (t *inlineText) lineBreak() {
	if len(t.lines) == 0 {
		t.lines = [][]word{nil}
	}
	t.lines = append(t.lines, nil)
	t.blanked = false
}

// inline lays out n's inline content in lines of at most width cells, painted over
// base (ignored in the plain look).
func (r *mdRenderer) inline(n ast.Node, width int, base lipgloss.Style) []string {
	var t inlineText
	r.walkInline(&t, n, 0)
	var out []string
	for _, words := range t.lines {
		for _, line := range wrapWords(words, max(width, 1)) {
			out = append(out, r.paint(line, base))
		}
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

func (r *mdRenderer) walkInline(t *inlineText, n ast.Node, k spanKind) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			t.add(r.textValue(c.Segment.Value(r.source), c.IsRaw()), k)
			switch {
			case c.HardLineBreak():
				t.lineBreak()
			case c.SoftLineBreak():
				t.space(k)
			}
		case *ast.String:
			t.add(r.textValue(c.Value, c.IsRaw() || c.IsCode()), k)
		case *ast.CodeSpan:
			r.codeSpan(t, c, k)
		case *ast.Emphasis:
			if c.Level >= 2 {
				r.walkInline(t, c, k|spanStrong)
			} else {
				r.walkInline(t, c, k|spanEmph)
			}
		case *ast.Link:
			r.walkInline(t, c, k|spanLink)
			r.address(t, string(c.Destination), plainText(c, r.source), k)
		case *ast.AutoLink:
			t.add(string(c.Label(r.source)), k|spanLink)
		case *ast.Image:
			t.add("Image: ", k)
			r.walkInline(t, c, k)
			r.address(t, string(c.Destination), "", k)
		case *ast.RawHTML:
			// A tag: dropped, as Glamour's HTML sanitizer did; the text around it stays.
		default:
			r.walkInline(t, c, k)
		}
	}
}

// textValue is text as it reads: backslash escapes and entity references resolved,
// unless the parser marked it raw.
func (r *mdRenderer) textValue(v []byte, raw bool) string {
	if raw {
		return string(v)
	}
	return string(util.UnescapePunctuations(util.ResolveEntityNames(util.ResolveNumericReferences(v))))
}

// codeSpan adds a code span's text. On a screen its colour marks it; on paper it
// reads as the words it is (a handout with raw backticks read as Markdown source).
func (r *mdRenderer) codeSpan(t *inlineText, c *ast.CodeSpan, k spanKind) {
	var b strings.Builder
	for g := c.FirstChild(); g != nil; g = g.NextSibling() {
		if s, ok := g.(*ast.Text); ok {
			b.Write(s.Segment.Value(r.source))
		}
	}
	t.add(b.String(), k|spanCode)
}

// address adds a link's destination after its text, unless it says nothing more:
// empty, an anchor in the page, or the text itself. Plain text puts it in
// parentheses; a screen draws it in its own style.
func (r *mdRenderer) address(t *inlineText, url, text string, k spanKind) {
	if url == "" || strings.HasPrefix(url, "#") || url == text {
		return
	}
	t.space(k)
	if r.look.styles == nil {
		url = "(" + url + ")"
	}
	t.add(url, k|spanURL)
}

// plainText is the text of n's inline children, unstyled.
func plainText(n ast.Node, source []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			b.Write(t.Segment.Value(source))
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// paint draws a line of spans in their styles over base, each run of one kind
// styled once; the plain look draws them as they are.
func (r *mdRenderer) paint(line []span, base lipgloss.Style) string {
	var b, run strings.Builder
	s := r.look.styles
	for i := 0; i < len(line); {
		run.Reset()
		j := i
		for ; j < len(line) && line[j].kind == line[i].kind; j++ {
			run.WriteString(line[j].text)
		}
		if s == nil {
			b.WriteString(run.String())
		} else {
			b.WriteString(inlineStyle(s, base, line[i].kind).Render(run.String()))
		}
		i = j
	}
	return b.String()
}

// inlineStyle is the style of a span of kind k in a block drawn with base: emphasis adds
// to the block's style, code and links change its colour.
func inlineStyle(m *common.MarkdownStyles, base lipgloss.Style, k spanKind) lipgloss.Style {
	s := base
	switch {
	case k&spanURL != 0:
		s = s.Foreground(m.URL.GetForeground()).Underline(true)
	case k&spanLink != 0:
		s = s.Foreground(m.Link.GetForeground()).Underline(true)
	case k&spanCode != 0:
		s = s.Foreground(m.Code.GetForeground())
	}
	if k&spanStrong != 0 {
		s = s.Bold(true)
	}
	if k&spanEmph != 0 {
		s = s.Italic(true)
	}
	return s
}
