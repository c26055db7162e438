package ui

import (
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/lessons"
)

// pressBinding presses a binding's first key.
func pressBinding(b key.Binding) (k string) { return b.Keys()[0] }

// TestPanelShortHelpKeysWork: the help bar never lies. In every state of the panel,
// each key its short help shows changes what the panel draws or starts something.
func TestPanelShortHelpKeysWork(t *testing.T) {
	tr := fakeTrace(t, experiment.GIL, 2, "4*cpu(20ms)")
	fixed := time.Unix(1000, 0)
	states := map[string]func(p *RunPanel){
		"ready": func(p *RunPanel) {
			p.SetRuns([]experiment.Spec{{Model: experiment.GIL, Workers: 2, Tasks: mustTasks(t, "4*cpu(20ms)")}})
		},
		"done": func(p *RunPanel) { p.ShowTraces(tr1(tr)) },
		"zoomed": func(p *RunPanel) {
			p.ShowTraces(tr1(tr))
			p.Update(keyPress("+"))
		},
		"replaying": func(p *RunPanel) {
			p.ShowTraces(tr1(tr))
			p.Update(keyPress("R"))
		},
	}
	for name, setup := range states {
		fresh := func() *RunPanel {
			p := NewRunPanel(testCommon(&fakeRunner{}))
			p.now = func() time.Time { return fixed }
			steadyObserver(p)
			p.SetSize(80, 16)
			setup(p)
			return p
		}
		shown := fresh().ShortHelp()
		if name == "ready" && len(shown) > 0 {
			t.Errorf("ready, nothing recorded: the help shows %d panel keys, none of which can do anything", len(shown))
		}
		for _, b := range shown {
			p := fresh()
			before := p.View()
			cmd := p.Update(keyPress(pressBinding(b)))
			if cmd == nil && p.View() == before {
				t.Errorf("%s: the help shows %q (%s), but pressing it changes nothing", name, b.Help().Key, b.Help().Desc)
			}
		}
	}
}

func tr1[T any](t T) []T { return []T{t} }

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
	c := testCommon(&fakeRunner{})
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
	p := newLessonPlayer(testCommon(&fakeRunner{}), l, 0, nil)
	p.SetSize(80, 24)
	for _, k := range []string{"r", "1-9", "1-2", "R", "+"} {
		if helpKeys(p.FullHelp()...)[k] || helpKeys(p.ShortHelp())[k] {
			t.Errorf("step 1 only tells, yet the help lists %q", k)
		}
	}
	p = newLessonPlayer(testCommon(&fakeRunner{}), l, 1, nil)
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
	tr := fakeTrace(t, experiment.GIL, 2, "4*cpu(20ms)")
	screens := map[string]AppOptions{
		"home":   {Catalog: cat, Progress: prog},
		"player": {Catalog: cat, Progress: prog, Lesson: l, LessonStep: 1},
		"lab":    {Catalog: cat, Progress: prog, Lab: true, LabSpec: experiment.Spec{Model: experiment.GIL, Workers: 2, Tasks: mustTasks(t, "4*cpu(20ms)")}},
		"replay": {Catalog: cat, Progress: prog, Replay: tr},
	}
	for name, opt := range screens {
		for _, present := range []bool{false, true} {
			opt.Runner, opt.Present = &fakeRunner{}, present
			app := NewApp(opt)
			app.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
			app.Update(keyPress("?"))
			view := ansi.Strip(app.View().Content)
			// The full help lays keys out in columns: "q" beside "quit" with padding,
			// and the global keys are always there.
			for _, want := range []string{"help", "quit"} {
				if !strings.Contains(view, want) {
					t.Errorf("%s (present %v): after ? the screen has no %q:\n%s", name, present, want, view)
				}
			}
			app.Update(keyPress("?"))
			if present && strings.Contains(ansi.Strip(app.View().Content), "? help") {
				t.Errorf("%s on a projector: ? again should hide the help", name)
			}
		}
	}
}
