package ui

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/lessons"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// helpKeys lists the keys a help shows, by their help label.
func helpKeys(groups ...[]key.Binding) map[string]bool {
	out := map[string]bool{}
	for _, g := range groups {
		for _, b := range g {
			out[b.Help().Key] = true
		}
	}
	return out
}

// Home offers c only when there is a lesson to continue, and a finished lesson is
// not one.
func TestHomeContinueOnlyWhenThereIsSomething(t *testing.T) {
	cat, prog := testCatalog(t)
	l, err := cat.Find("golden-gil")
	if err != nil {
		t.Fatal(err)
	}
	c := uitest.Common(&uitest.Runner{})
	check := func(when string, want bool) {
		t.Helper()
		h := newHome(c, cat, prog, nil)
		if got := h.canContinue(); got != want {
			t.Errorf("%s: a continue row is %v, want %v", when, got, want)
		}
		if got := helpKeys(h.ShortHelp())["c"]; got != want {
			t.Errorf("%s: the help bar shows c: %v, want %v", when, got, want)
		}
		if got := helpKeys(h.FullHelp()...)["c"]; got != want {
			t.Errorf("%s: the full help shows c: %v, want %v", when, got, want)
		}
	}
	check("nothing started", false)
	prog.Seen(l.ID, 0)
	check("a lesson half done", true)
	for i := range l.Steps {
		prog.Seen(l.ID, i)
	}
	if prog.Status(l) == lessons.Done {
		check("the lesson finished", false)
	} else {
		t.Fatalf("seeing every step of %s did not finish it: %v", l.ID, prog.Status(l))
	}
}

// A step that only tells lists no choice or run key, even in the full help.
func TestPlayerHelpFitsTheStep(t *testing.T) {
	cat, _ := testCatalog(t)
	l, err := cat.Find("golden-gil")
	if err != nil {
		t.Fatal(err)
	}
	p := newLessonPlayer(uitest.Common(&uitest.Runner{}), l, 0, nil)
	p.SetSize(80, 24)
	for _, k := range []string{"r", "1-9", "1-2", "R", "+"} {
		if helpKeys(p.FullHelp()...)[k] || helpKeys(p.ShortHelp())[k] {
			t.Errorf("step 1 only tells, yet the help lists %q", k)
		}
	}
	p = newLessonPlayer(uitest.Common(&uitest.Runner{}), l, 1, nil)
	p.SetSize(80, 24)
	if keys := helpKeys(p.ShortHelp()); !keys["1-2"] || !keys["r"] {
		t.Errorf("step 2 asks with two choices and runs: the help bar has %v", keys)
	}
}

// ? shows the full help on every screen, on a projector too, where there is no help
// bar to expand.
func TestQuestionMarkShowsFullHelpEverywhere(t *testing.T) {
	cat, prog := testCatalog(t)
	l, err := cat.Find("golden-gil")
	if err != nil {
		t.Fatal(err)
	}
	tr := uitest.Trace(t, experiment.GIL, 2, "4*cpu(20ms)")
	screens := map[string]AppOptions{
		"home":   {Catalog: cat, Progress: prog},
		"player": {Catalog: cat, Progress: prog, Lesson: l, LessonStep: 1},
		"lab":    {Catalog: cat, Progress: prog, Lab: true, LabSpec: experiment.Spec{Model: experiment.GIL, Workers: 2, Tasks: uitest.Tasks(t, "4*cpu(20ms)")}},
		"replay": {Catalog: cat, Progress: prog, Replay: tr},
	}
	for name, opt := range screens {
		for _, present := range []bool{false, true} {
			opt.Runner, opt.Present = &uitest.Runner{}, present
			app := NewApp(opt)
			app.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
			app.Update(uitest.Key("?"))
			view := ansi.Strip(app.View().Content)
			// The full help lays keys out in columns: "q" beside "quit" with padding,
			// and the global keys are always there.
			for _, want := range []string{"help", "quit"} {
				if !strings.Contains(view, want) {
					t.Errorf("%s (present %v): after ? the screen has no %q:\n%s", name, present, want, view)
				}
			}
			app.Update(uitest.Key("?"))
			if present && strings.Contains(ansi.Strip(app.View().Content), "? help") {
				t.Errorf("%s on a projector: ? again should hide the help", name)
			}
		}
	}
}
