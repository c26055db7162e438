package ui

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/assets"
	"github.com/coreography/coreography/ui/common"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// A teacher replaying every lesson at 80×24 sees no line cut: every step, before and
// after its runs, fits the width without a line ending in the ellipsis a cut leaves
// (the text wraps; titles, notices and run headers must fit or wrap too).
func TestEveryLessonFitsEightyColumns(t *testing.T) {
	names, _ := fs.Glob(assets.Lessons, "lessons/*.md")
	for _, name := range names {
		id := strings.TrimSuffix(strings.TrimPrefix(name, "lessons/"), ".md")
		l := uitest.BuiltinLesson(t, id)
		for step := range l.Steps {
			c := uitest.Common(demoRunner{})
			p := newLessonPlayer(c, l, step, nil)
			c.Width, c.Height = 80, 24
			p.SetSize(80, 24)
			check := func(when string) {
				view := p.View()
				uitest.CheckWidth(t, view, 80)
				for i, line := range strings.Split(uitest.Plain(view), "\n") {
					// "first done: 0 1 2 3 4 …" elides a list on purpose; it cuts no word.
					if strings.HasSuffix(strings.TrimRight(line, " "), common.GlyphEllipsis) && !strings.Contains(line, "first done:") {
						t.Errorf("%s step %d %s: line %d is cut: %q\n%s", id, step+1, when, i+1, line, uitest.Plain(view))
					}
				}
			}
			check("before its runs")
			if l.Steps[step].Experiment == nil {
				continue
			}
			choice := "1"
			if pr := l.Steps[step].Predict; pr != nil {
				choice = fmt.Sprint(pr.AnswerIndex() + 1)
			}
			cmd := p.Update(uitest.Key(choice))
			_ = cmd
			cmd = p.Update(uitest.Key("r"))
			uitest.Pump(t, p.Update, cmd, func(msg tea.Msg) bool { return !p.panel.Busy() })
			p.Update(uitest.Key("G"))
			check("after its runs")
		}
	}
}
