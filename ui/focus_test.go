package ui

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// TestFocusGolden: the lab after a GIL run shows the close-up under the overview,
// and the focus key cycles to the overview alone, then the close-up alone.
func TestFocusGolden(t *testing.T) {
	lab := ranGILLab(t)
	var out strings.Builder
	for i, name := range []string{"after run", "f: overview", "f: close-up", "f: both again"} {
		if i > 0 {
			lab.Update(tea.KeyPressMsg{Code: 'f', Text: "f"})
		}
		view := lab.View()
		uitest.CheckWidth(t, view, 100)
		out.WriteString(name + ":\n" + uitest.Plain(view) + "\n\n")
		if has := strings.Contains(view, "close up"); has == (name == "f: overview") {
			t.Errorf("%s: close-up shown %v", name, has)
		}
	}
	golden.RequireEqual(t, out.String())
}

// ranGILLab is a lab at 100×30 that ran two GIL threads on 8*cpu(100ms), its program
// ended: the lab is the calling goroutine's now, to press keys on.
func ranGILLab(t *testing.T) *Lab {
	t.Helper()
	c := uitest.Common(&uitest.Runner{})
	lab := NewLab(c, experiment.Spec{Model: experiment.GIL, Workers: 2, Tasks: uitest.Tasks(t, "8*cpu(100ms)")})
	tm := teatest.NewTestModel(t, &harness{c: c, s: lab}, teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	tm.Type("r")
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("recent runs")) },
		teatest.WithDuration(5*time.Second))
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	return lab
}

// TestPlayerGilCloseUp plays the built-in gil lesson's prediction step with the fake
// engine (so the run is judged and the step's text revealed, leaving the panel the
// least room): with no key after r, a thread lane of the close-up has three running
// and three waiting stretches at least two columns wide, at 100×30 and 80×24.
func TestPlayerGilCloseUp(t *testing.T) {
	l := uitest.BuiltinLesson(t, "gil")
	for _, size := range []struct{ w, h int }{{100, 30}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			c := uitest.Common(&uitest.Runner{})
			p := newLessonPlayer(c, l, 1, nil)
			tm := teatest.NewTestModel(t, &harness{c: c, s: p}, teatest.WithInitialTermSize(size.w, size.h),
				teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
			tm.Type("3r")
			teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("right")) },
				teatest.WithDuration(5*time.Second))
			tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
			tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
			view := uitest.Plain(p.View())
			_, below, ok := strings.Cut(view, "close up")
			lane := uitest.LaneLine(below[strings.Index(below, "\n")+1:], "T1")
			if run, wait := uitest.Stretches(lane, '█', 2), uitest.Stretches(lane, '░', 2); !ok || run < 3 || wait < 3 {
				t.Errorf("close-up T1: %d running and %d waiting stretches of 2+ columns, want 3 each:\n%s", run, wait, view)
			}
		})
	}
}
