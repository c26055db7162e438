package ui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/coreography/coreography/ui/internal/uitest"
)

// TestPlayerHints plays the gil lesson's prediction step, predicting wrong: the
// step's hint shows by itself after the verdict; i hides it and shows it again.
func TestPlayerHints(t *testing.T) {
	l := uitest.BuiltinLesson(t, "gil")
	if len(l.Steps[1].Hints) == 0 {
		t.Fatal("the gil lesson's step 2 has no hint to show")
	}
	c := uitest.Common(&uitest.Runner{})
	p := newLessonPlayer(c, l, 1, nil)
	tm := teatest.NewTestModel(t, &harness{c: c, s: p}, teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	tm.Type("1r") // "about twice as fast": wrong for two GIL threads
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("you said")) },
		teatest.WithDuration(5*time.Second))
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	// The program has ended: the player is this goroutine's now.
	var out strings.Builder
	for i, want := range []bool{true, false, true} {
		if i > 0 {
			p.Update(tea.KeyPressMsg{Code: 'i', Text: "i"})
		}
		view := uitest.Plain(p.View())
		uitest.CheckWidth(t, p.View(), 100)
		if got := strings.Contains(view, "Hint:"); got != want {
			t.Errorf("after %d presses of i: hint shown %v, want %v:\n%s", i, got, want, view)
		}
		if i == 0 {
			out.WriteString(view + "\n")
		}
	}
	offered := false
	for _, b := range p.ShortHelp() {
		offered = offered || b.Help().Key == "i"
	}
	if !offered {
		t.Error("the help bar does not offer the hint key on a step with hints")
	}
	golden.RequireEqual(t, out.String())
}
