// Package markdown draws lesson Markdown as terminal lines, in a theme's colours or
// as plain text.
package markdown

import (
	"strings"
	"sync"

	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"github.com/coreography/coreography/ui/common"
)

// markdownLook is how lesson Markdown is drawn: in a theme's styles on a screen, or,
// the zero look, as plain text for a file or a pipe (no colour, emphasis and code as
// plain words, headings underlined).
type Look struct {
	styles *common.MarkdownStyles
	// gen is the generation of the Styles the look was taken from: a theme change
	// rewrites Styles in place, and text rendered in the old colours must not be
	// served from the cache.
	gen uint64
}

// lookPlain is the look for files and pipes.
var Plain = Look{}

// screenLook is the look for a screen drawn with s.
func ScreenLook(s *common.Styles) Look { return Look{&s.Markdown, s.Gen()} }

// markdownCache renders lesson Markdown once per text, width and look: View runs
// after every message, so rendering happens in Update and View only reads the result.
// The TUI and the handout both render through it.
type Cache struct {
	rendered map[markdownKey]string
}

type markdownKey struct {
	width int
	look  Look
	text  string
}

// maxCachedMarkdown bounds the cache: a lesson has a handful of steps, each filled with
// a few sets of measured values, at a few widths.
const maxCachedMarkdown = 256

// Render returns text as terminal lines: on a screen (dark or light) cut to width;
// plain, wrapped to width with nothing cut. No line ends in blanks.
func (c *Cache) Render(text string, width int, look Look) string {
	width = max(width, 10)
	key := markdownKey{width, look, text}
	if out, ok := c.rendered[key]; ok {
		return out
	}
	lines := renderMarkdown(text, width, look)
	var out string
	if look.styles == nil {
		out = common.TrimLineEnds(strings.Join(lines, "\n"))
	} else {
		out = common.TrimLineEnds(common.FitLines(lines, width, len(lines), "", false))
	}
	if c.rendered == nil || len(c.rendered) >= maxCachedMarkdown {
		c.rendered = map[markdownKey]string{}
	}
	c.rendered[key] = out
	return out
}

// markdownParser reads CommonMark, without extensions: lesson text uses none, and
// goldmark's extension package costs milliseconds of package init (its regular
// expressions) in every process this binary starts, workers included. It is built on
// first use for the same reason.
var markdownParser = sync.OnceValue(func() parser.Parser {
	return parser.NewParser(
		parser.WithBlockParsers(parser.DefaultBlockParsers()...),
		parser.WithInlineParsers(parser.DefaultInlineParsers()...),
		parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
	)
})

// documentMargin is the blank columns left and right of lesson text.
const documentMargin = 2

// renderMarkdown lays src out in lines of at most width cells (code lines on a screen
// may run on, for the caller to cut), with the document margin on the left and
// the right and no blank line first or last.
func renderMarkdown(src string, width int, look Look) []string {
	source := []byte(tame(src)) // bounded nesting: see tame.go
	doc := markdownParser().Parse(text.NewReader(source))
	r := &mdRenderer{source: source, look: look}
	lines := r.blocks(doc, max(width-2*documentMargin, 1), false)
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	margin := strings.Repeat(" ", documentMargin)
	for i, l := range lines {
		if l != "" {
			lines[i] = margin + l
		}
	}
	return lines
}
