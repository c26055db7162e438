package ui

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/coreography/coreography/internal/experiment"
)

func press(s screen, keys string) tea.Cmd {
	var last tea.Cmd
	for _, r := range keys {
		last = s.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return last
}

// slowReplay opens a replay of an 800 ms GIL run at 100 columns, its clock in the
// test's hands, and starts it at 0.01×.
func slowReplay(t *testing.T) (*Replay, *time.Time) {
	t.Helper()
	r := NewReplay(testCommon(nil), fakeTrace(t, experiment.GIL, 2, "8*cpu(100ms)"))
	r.SetSize(100, 20)
	steadyObserver(r.panel)
	clock := time.Unix(0, 0)
	r.panel.now = func() time.Time { return clock }
	press(r, "sss") // 1× → 0.5× → 0.1× → 0.01×
	if press(r, "R") == nil {
		t.Fatal("R starts ticking")
	}
	return r, &clock
}

// replayTick is one frame of r's replay.
func replayTick(r *Replay) tea.Cmd {
	return r.Update(panelTickMsg{id: r.panel.id, gen: r.panel.gen})
}

// TestSlowReplayFollowsPlayhead: at 0.01× the timeline shows 30 ms around the
// playhead, not the whole 800 ms run, and moves with it; zoom works inside that
// window; at the end, or back at 1×, the whole run is in view again.
func TestSlowReplayFollowsPlayhead(t *testing.T) {
	r, clock := slowReplay(t)
	tl := r.panel.tl
	wall := r.panel.wall()
	var lastStart int64 = -1
	for _, at := range []time.Duration{10 * time.Second, 30 * time.Second, 50 * time.Second} {
		*clock = time.Unix(0, 0).Add(at)
		replayTick(r)
		pos := r.panel.playPosition()
		from, to := tl.window[0], tl.window[1]
		if to-from != int64(30*time.Millisecond) {
			t.Errorf("at %v of a 0.01× replay the window is %v wide, want 30ms", at, time.Duration(to-from))
		}
		if pos < from || pos > to {
			t.Errorf("the playhead at %v is outside the window %v-%v", time.Duration(pos), time.Duration(from), time.Duration(to))
		}
		if from <= lastStart {
			t.Errorf("the window did not move with the playhead: starts at %v, before %v", time.Duration(from), time.Duration(lastStart))
		}
		lastStart = from
	}
	press(r, "+")
	replayTick(r)
	if w := tl.window[1] - tl.window[0]; w != int64(15*time.Millisecond) {
		t.Errorf("+ during a slow replay: window %v, want 15ms", time.Duration(w))
	}
	press(r, "s") // back to 1×
	replayTick(r)
	if w := tl.window[1] - tl.window[0]; w != wall {
		t.Errorf("at 1× the replay shows %v, want the whole %v run", time.Duration(w), time.Duration(wall))
	}
	press(r, "sss")
	replayTick(r)
	if w := tl.window[1] - tl.window[0]; w != int64(30*time.Millisecond) {
		t.Errorf("slowed again: window %v, want 30ms", time.Duration(w))
	}
	*clock = clock.Add(time.Hour)
	if replayTick(r) != nil {
		t.Error("a replay at its end stops ticking")
	}
	if w := tl.window[1] - tl.window[0]; w != wall || tl.Zoomed() {
		t.Errorf("after the replay the window is %v (zoomed %v), want the whole %v run", time.Duration(w), tl.Zoomed(), time.Duration(wall))
	}
}

// TestSlowReplayKeepsZoom: a zoom the learner chose before a slowed replay is
// theirs again when it ends.
func TestSlowReplayKeepsZoom(t *testing.T) {
	r := NewReplay(testCommon(nil), fakeTrace(t, experiment.GIL, 2, "8*cpu(100ms)"))
	r.SetSize(100, 20)
	clock := time.Unix(0, 0)
	r.panel.now = func() time.Time { return clock }
	press(r, "++h")
	before := r.panel.tl.window
	press(r, "sssR")
	clock = clock.Add(20 * time.Second)
	replayTick(r)
	if w := r.panel.tl.window; w[1]-w[0] != int64(30*time.Millisecond) {
		t.Fatalf("slow replay window %v", time.Duration(w[1]-w[0]))
	}
	clock = clock.Add(time.Hour)
	replayTick(r)
	if after := r.panel.tl.window; after != before {
		t.Errorf("after the replay the window is %v, want the learner's %v", after, before)
	}
}

// TestLensWidth: the lens is a few seconds of the replay's clock, never narrower
// than zoom reaches, and none at full speed.
func TestLensWidth(t *testing.T) {
	for speed, want := range map[float64]time.Duration{1: 0, 0.5: 1500 * time.Millisecond, 0.1: 300 * time.Millisecond, 0.01: 30 * time.Millisecond, 1e-9: time.Duration(minWindow)} {
		if got := time.Duration(lensWidth(speed)); got != want {
			t.Errorf("lensWidth(%v) = %v, want %v", speed, got, want)
		}
	}
}

// TestSlowReplayGolden: the lab after a GIL run, replayed at 0.01×: 30 ms around
// the playhead, each 5 ms hand-off many columns wide.
func TestSlowReplayGolden(t *testing.T) {
	lab := ranGILLab(t)
	clock := time.Unix(0, 0)
	lab.panel.now = func() time.Time { return clock }
	press(lab, "sssR")
	var out strings.Builder
	for _, at := range []time.Duration{25 * time.Second, 26 * time.Second} {
		clock = time.Unix(0, 0).Add(at)
		lab.Update(panelTickMsg{id: lab.panel.id, gen: lab.panel.gen})
		view := lab.View()
		checkWidth(t, view, 100)
		out.WriteString("replay at 0.01×, " + at.String() + " in:\n" + plain(view) + "\n\n")
	}
	if !strings.Contains(out.String(), "replay 0.01× 250ms") {
		t.Errorf("the header does not say where the replay is:\n%s", out.String())
	}
	golden.RequireEqual(t, out.String())
}

// slowLesson asks for its 80 ms GIL run to be replayed at 0.01× as soon as it ends.
const slowLesson = "---\nid: slow\ntitle: Slow\nminutes: 1\nsummary: A run replayed slowly.\n---\n# Step\n\nText.\n\n" +
	"```experiment\nmodel: gil\nworkers: 2\ntasks: 4*cpu(20ms)\nreplay: 0.01x\n```\n\n" +
	"```predict\nquestion: Faster?\nchoices: [yes, no]\nanswer: no\n```\n"

// TestPlayerReplaysSlowly: a step with replay: 0.01x replays its run at 0.01× as
// soon as it is judged, in a 30 ms window, without a key; at 80×24 and 100×30.
func TestPlayerReplaysSlowly(t *testing.T) {
	l := parseLesson(t, slowLesson)
	for _, size := range []struct{ w, h int }{{100, 30}, {80, 24}} {
		c := testCommon(&fakeRunner{})
		p := newLessonPlayer(c, l, 0, nil)
		tm := teatest.NewTestModel(t, &harness{c: c, s: p}, teatest.WithInitialTermSize(size.w, size.h),
			teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
		tm.Type("2r")
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("replay 0.01×")) },
			teatest.WithDuration(5*time.Second))
		tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
		tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
		if w := p.panel.tl.window; w[1]-w[0] != int64(30*time.Millisecond) {
			t.Errorf("%dx%d: the slow replay shows %v, want 30ms", size.w, size.h, time.Duration(w[1]-w[0]))
		}
		if view := plain(p.View()); !strings.Contains(view, "right") {
			t.Errorf("%dx%d: the verdict is not on screen during the replay:\n%s", size.w, size.h, view)
		}
		if !slices.ContainsFunc(p.ShortHelp(), func(b key.Binding) bool { return b.Help().Key == "end/G" }) {
			t.Errorf("%dx%d: the help does not say which key skips the replay", size.w, size.h)
		}
		// Once the replay is over, the learner's own speed (1×) is back for R, and the
		// whole run in view.
		later := time.Now().Add(time.Hour)
		p.panel.now = func() time.Time { return later }
		p.Update(panelTickMsg{id: p.panel.id, gen: p.panel.gen})
		if p.panel.state != panelDone || playbackSpeeds[p.panel.speed] != 1 || p.panel.tl.Zoomed() {
			t.Errorf("%dx%d: after the replay: state %v, speed %v, zoomed %v", size.w, size.h, p.panel.state, playbackSpeeds[p.panel.speed], p.panel.tl.Zoomed())
		}
	}
}

// TestSlowSpeed: replay: slow picks the slowest speed whose replay lasts at most
// 20 s, and none for a run long enough to watch live.
func TestSlowSpeed(t *testing.T) {
	for wall, want := range map[time.Duration]float64{80 * time.Millisecond: 0.01, 200 * time.Millisecond: 0.01,
		700 * time.Millisecond: 0.1, 2 * time.Second: 0.1, 5 * time.Second: 0.5, 30 * time.Second: 1} {
		if got := slowSpeed(wall); got != want {
			t.Errorf("slowSpeed(%v) = %v, want %v", wall, got, want)
		}
	}
}
