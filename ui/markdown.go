package ui

import (
	"strings"

	"charm.land/glamour/v2"
	"charm.land/glamour/v2/styles"
	"charm.land/lipgloss/v2"
)

// markdownCache renders lesson Markdown with Glamour, once per text, width and
// background: building a Glamour renderer costs milliseconds, and View runs after every
// message, so rendering happens in Update and View only reads the result.
type markdownCache struct {
	renderers map[rendererKey]*glamour.TermRenderer
	rendered  map[markdownKey]string
}

type rendererKey struct {
	width int
	dark  bool
}

type markdownKey struct {
	rendererKey
	text string
}

// maxCachedMarkdown bounds the cache: a lesson has a handful of steps, each filled with
// a few sets of measured values, at a few widths.
const maxCachedMarkdown = 256

// Render returns text as styled terminal lines no wider than width.
func (c *markdownCache) Render(text string, width int, dark bool) string {
	width = max(width, 10)
	key := markdownKey{rendererKey{width, dark}, text}
	if out, ok := c.rendered[key]; ok {
		return out
	}
	out := c.render(key)
	if c.rendered == nil || len(c.rendered) >= maxCachedMarkdown {
		c.rendered = map[markdownKey]string{}
	}
	c.rendered[key] = out
	return out
}

func (c *markdownCache) render(key markdownKey) string {
	r, err := c.renderer(key.rendererKey)
	var out string
	if err == nil {
		out, err = r.Render(joinSoftBreaks(key.text))
	}
	if err != nil {
		// Glamour only fails on a broken style; the raw text still teaches.
		out = lipgloss.NewStyle().Width(key.width).Render(key.text)
	}
	lines := strings.Split(strings.Trim(out, "\n"), "\n")
	return trimLineEnds(fitLines(lines, key.width, len(lines), "", false))
}

func (c *markdownCache) renderer(k rendererKey) (*glamour.TermRenderer, error) {
	if r, ok := c.renderers[k]; ok {
		return r, nil
	}
	style := styles.LightStyleConfig
	if k.dark {
		style = styles.DarkStyleConfig
	}
	// Glamour's document margin is 2 columns a side, inside the word-wrap width.
	r, err := glamour.NewTermRenderer(glamour.WithStyles(style), glamour.WithWordWrap(k.width))
	if err != nil {
		return nil, err
	}
	if c.renderers == nil {
		c.renderers = map[rendererKey]*glamour.TermRenderer{}
	}
	c.renderers[k] = r
	return r, nil
}
