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
	"github.com/coreography/coreography/internal/timeline"
)

// stretches counts the runs of r in a lane line at least minCols cells long, after
// its label.
func stretches(line string, r rune, minCols int) int {
	cells := []rune(line)
	n, run := 0, 0
	for _, c := range append(cells, 0) {
		if c == r {
			run++
			continue
		}
		if run >= minCols {
			n++
		}
		run = 0
	}
	return n
}

// laneLine is the first line of view that starts with label.
func laneLine(view, label string) string {
	for _, l := range strings.Split(view, "\n") {
		if strings.HasPrefix(l, label) {
			return l[len(label):]
		}
	}
	return ""
}

// TestFocusResolvesHandOffs: a GIL run too long for its 5 ms hand-offs to show in the
// overview gets a close-up in which a thread lane has at least three running and
// three waiting stretches, each at least two columns wide, at every usual width.
func TestFocusResolvesHandOffs(t *testing.T) {
	tr := fakeTrace(t, experiment.GIL, 2, "8*cpu(200ms)")
	for _, width := range []int{60, 80, 100, 160} {
		c, ok := pickCloseUp([]*timeline.Trace{tr}, width, 0)
		if !ok {
			t.Fatalf("width %d: no close-up of a 1.6 s GIL run", width)
		}
		view := plain(c.draw(nil, width, 0).String())
		lane := laneLine(view, "T1")
		if run, wait := stretches(lane, '█', 2), stretches(lane, '░', 2); run < 3 || wait < 3 {
			t.Errorf("width %d: T1 has %d running and %d waiting stretches of 2+ columns, want 3 each:\n%s", width, run, wait, view)
		}
	}
}

// TestFocusNotWhenResolved: a run whose spans already show in the overview, or one
// with a single long span per lane, needs no close-up.
func TestFocusNotWhenResolved(t *testing.T) {
	for _, run := range []struct {
		model experiment.Model
		tasks string
	}{{experiment.GIL, "4*cpu(20ms)"}, {experiment.Threads, "2*cpu(300ms)"}} {
		if c, ok := pickCloseUp([]*timeline.Trace{fakeTrace(t, run.model, 2, run.tasks)}, 100, 0); ok {
			t.Errorf("%s %s: close-up %d-%d ns of a run the overview resolves", run.model, run.tasks, c.from, c.to)
		}
	}
}

func TestNiceFloor(t *testing.T) {
	for in, want := range map[int64]int64{1: 1, 7: 5, 10: 10, 19: 10, 20: 20, 49: 20, 50: 50, 99: 50, 123456: 100000} {
		if got := niceFloor(in); got != want {
			t.Errorf("niceFloor(%d) = %d, want %d", in, got, want)
		}
	}
}

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
		checkWidth(t, view, 100)
		out.WriteString(name + ":\n" + plain(view) + "\n\n")
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
	c := testCommon(&fakeRunner{})
	lab := NewLab(c, experiment.Spec{Model: experiment.GIL, Workers: 2, Tasks: mustTasks(t, "8*cpu(100ms)")})
	steadyObserver(lab.panel)
	tm := teatest.NewTestModel(t, &harness{c: c, s: lab}, teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	tm.Type("r")
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("recent runs")) },
		teatest.WithDuration(5*time.Second))
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	return lab
}

// TestFocusFixedWidth: a lesson's focus: fixes the close-up's width, even for a run
// the overview resolves; wider than the run, there is none.
func TestFocusFixedWidth(t *testing.T) {
	tr := fakeTrace(t, experiment.GIL, 2, "4*cpu(20ms)")
	c, ok := pickCloseUp([]*timeline.Trace{tr}, 100, int64(10*time.Millisecond))
	if !ok || c.to-c.from != int64(10*time.Millisecond) {
		t.Errorf("focus 10ms: close-up %v %d-%d", ok, c.from, c.to)
	}
	if _, ok := pickCloseUp([]*timeline.Trace{tr}, 100, int64(time.Second)); ok {
		t.Error("focus 1s of an 80 ms run: a close-up wider than the run")
	}
}

// TestPlayerGilCloseUp plays the built-in gil lesson's prediction step with the fake
// engine (so the run is judged and the step's text revealed, leaving the panel the
// least room): with no key after r, a thread lane of the close-up has three running
// and three waiting stretches at least two columns wide, at 100×30 and 80×24.
func TestPlayerGilCloseUp(t *testing.T) {
	l := builtinLesson(t, "gil")
	for _, size := range []struct{ w, h int }{{100, 30}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			c := testCommon(&fakeRunner{})
			p := newLessonPlayer(c, l, 1, nil)
			tm := teatest.NewTestModel(t, &harness{c: c, s: p}, teatest.WithInitialTermSize(size.w, size.h),
				teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
			tm.Type("3r")
			teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("right")) },
				teatest.WithDuration(5*time.Second))
			tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
			tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
			view := plain(p.View())
			_, below, ok := strings.Cut(view, "close up")
			lane := laneLine(below[strings.Index(below, "\n")+1:], "T1")
			if run, wait := stretches(lane, '█', 2), stretches(lane, '░', 2); !ok || run < 3 || wait < 3 {
				t.Errorf("close-up T1: %d running and %d waiting stretches of 2+ columns, want 3 each:\n%s", run, wait, view)
			}
		})
	}
}
