package ui

import (
	"strings"

	"charm.land/glamour/v2"
	"charm.land/glamour/v2/styles"
	"charm.land/lipgloss/v2"
)

// markdownLook is how lesson Markdown is drawn: for a dark or a light terminal, or as
// plain text for a file or a pipe (Glamour's notty style, no colour).
type markdownLook int

const (
	lookDark markdownLook = iota
	lookLight
	lookPlain
)

// lookFor is the look for a terminal background.
func lookFor(dark bool) markdownLook {
	if dark {
		return lookDark
	}
	return lookLight
}

// markdownCache renders lesson Markdown with Glamour, once per text, width and look:
// building a Glamour renderer costs milliseconds, and View runs after every message,
// so rendering happens in Update and View only reads the result. The TUI and the
// handout both render through it.
type markdownCache struct {
	renderers map[rendererKey]*glamour.TermRenderer
	rendered  map[markdownKey]string
}

type rendererKey struct {
	width int
	look  markdownLook
}

type markdownKey struct {
	rendererKey
	text string
}

// maxCachedMarkdown bounds the cache: a lesson has a handful of steps, each filled with
// a few sets of measured values, at a few widths.
const maxCachedMarkdown = 256

// Render returns text as terminal lines: on a screen (dark or light) cut to width;
// plain, wrapped to width with nothing cut. No line ends in blanks.
func (c *markdownCache) Render(text string, width int, look markdownLook) string {
	width = max(width, 10)
	key := markdownKey{rendererKey{width, look}, text}
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
	switch {
	case err != nil && key.look == lookPlain:
		// Glamour only fails on a broken style; the raw text still teaches.
		return strings.TrimSpace(key.text)
	case err != nil:
		out = lipgloss.NewStyle().Width(key.width).Render(key.text)
	}
	lines := strings.Split(strings.Trim(out, "\n"), "\n")
	if key.look == lookPlain {
		return trimLineEnds(strings.Join(lines, "\n"))
	}
	return trimLineEnds(fitLines(lines, key.width, len(lines), "", false))
}

func (c *markdownCache) renderer(k rendererKey) (*glamour.TermRenderer, error) {
	if r, ok := c.renderers[k]; ok {
		return r, nil
	}
	look := glamour.WithStyles(styles.DarkStyleConfig)
	switch k.look {
	case lookLight:
		look = glamour.WithStyles(styles.LightStyleConfig)
	case lookPlain:
		look = glamour.WithStandardStyle(styles.NoTTYStyle)
	}
	// Glamour's document margin is 2 columns a side, inside the word-wrap width.
	r, err := glamour.NewTermRenderer(look, glamour.WithWordWrap(k.width))
	if err != nil {
		return nil, err
	}
	if c.renderers == nil {
		c.renderers = map[rendererKey]*glamour.TermRenderer{}
	}
	c.renderers[k] = r
	return r, nil
}
