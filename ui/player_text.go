package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/coreography/coreography/ui/common"
)

// This file draws the lesson player's heading and the step's text above the
// prediction and the run panel.

// setText gives the viewport the step's rendered text.
func (p *lessonPlayer) setText(rendered string) {
	p.text.SetContent(rendered)
	p.textGen++
}

// textViewKey is everything the viewport's view is drawn from.
type textViewKey struct {
	gen, y, x, width, height int
	styles                   uint64
}

// textView is the viewport's view, drawn again only when the text, its scroll or its
// size changed. The viewport styles its whole block with lipgloss each time, which
// was half of a lesson's frame (docs/performance.md), and View runs on every frame of
// a live run.
func (p *lessonPlayer) textView() string {
	key := textViewKey{p.textGen, p.text.YOffset(), p.text.XOffset(), p.text.Width(), p.text.Height(), p.c.Styles.Gen()}
	if key != p.textKey {
		p.textKey, p.textCache = key, p.text.View()
	}
	return p.textCache
}

// header is the lesson title and the step counter.
func (p *lessonPlayer) header() string {
	s := p.c.Styles
	counter := fmt.Sprintf("step %d/%d", p.state.Step+1, p.state.Steps)
	if p.textScrolls() {
		// Nothing else says the text goes on past the fold: after a run the text
		// scrolls to its result, so the start of the step may be above it.
		switch top, bottom := p.text.AtTop(), p.text.AtBottom(); {
		case !top && !bottom:
			counter = common.GlyphAround + " more text · " + counter
		case !bottom:
			counter = common.GlyphMore + " more text · " + counter
		case !top:
			counter = common.GlyphAbove + " more text · " + counter
		}
	}
	room := p.width - ansi.StringWidth(counter) - 2
	title := common.TruncateLine(p.lesson.Title, max(room, 0))
	gap := strings.Repeat(" ", max(p.width-ansi.StringWidth(title)-ansi.StringWidth(counter), 1))
	return s.Title.Render(title) + gap + s.Accent.Render(counter)
}
