package ui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/coreography/coreography/ui/internal/uitest"
)

// TestFocusKeyNeverIdle: in a lesson's comparison at 100×30 the text leaves no room
// for a close-up under the overview; one press of f must then show the close-up, not
// the overview alone, which looks the same and made the key seem dead.
func TestFocusKeyNeverIdle(t *testing.T) {
	l := uitest.BuiltinLesson(t, "gil")
	c := uitest.Common(&uitest.Runner{})
	p := newLessonPlayer(c, l, 2, nil) // two GIL threads, then none
	tm := teatest.NewTestModel(t, &harness{c: c, s: p}, teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	tm.Type("1r")
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("measured:")) },
		teatest.WithDuration(5*time.Second))
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	if view := uitest.Plain(p.View()); strings.Contains(view, "close up") {
		t.Skipf("the close-up fits under this comparison now; nothing to check:\n%s", view)
	}
	p.Update(tea.KeyPressMsg{Code: 'f', Text: "f"})
	if view := uitest.Plain(p.View()); !strings.Contains(view, "close up") {
		t.Errorf("f once: no close-up\n%s", view)
	}
	p.Update(tea.KeyPressMsg{Code: 'f', Text: "f"})
	if view := uitest.Plain(p.View()); strings.Contains(view, "close up") {
		t.Errorf("f twice: still the close-up, want the overview back\n%s", view)
	}
}
