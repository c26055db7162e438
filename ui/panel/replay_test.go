package panel

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/internal/uitest"
	uitimeline "github.com/coreography/coreography/ui/timeline"
)

// press presses each of keys in turn, returning the last one's command.
func press(p *RunPanel, keys string) tea.Cmd {
	var last tea.Cmd
	for _, r := range keys {
		last = p.Update(uitest.Key(string(r)))
	}
	return last
}

// showSlowly shows an 800 ms GIL run at 100 columns, its clock in the test's hands.
func showSlowly(t *testing.T) (*RunPanel, *time.Time) {
	t.Helper()
	clock := time.Unix(0, 0)
	c := uitest.Common(nil)
	c.Now = func() time.Time { return clock }
	r := NewRunPanel(c)
	r.ShowTraces([]*timeline.Trace{uitest.Trace(t, experiment.GIL, 2, "8*cpu(100ms)")})
	r.SetSize(100, 20)
	return r, &clock
}

// slowReplay opens a replay of an 800 ms GIL run at 100 columns, its clock in the
// test's hands, and starts it at 0.01×.
func slowReplay(t *testing.T) (*RunPanel, *time.Time) {
	t.Helper()
	r, clock := showSlowly(t)
	press(r, "sss") // 1× → 0.5× → 0.1× → 0.01×
	if press(r, "R") == nil {
		t.Fatal("R starts ticking")
	}
	return r, clock
}

// replayTick is one frame of r's replay.
func replayTick(r *RunPanel) tea.Cmd {
	return r.Update(panelTickMsg{id: r.id, gen: r.gen})
}

// TestSlowReplayFollowsPlayhead: at 0.01× the timeline shows 30 ms around the
// playhead, not the whole 800 ms run, and moves with it; zoom works inside that
// window; at the end, or back at 1×, the whole run is in view again.
func TestSlowReplayFollowsPlayhead(t *testing.T) {
	r, clock := slowReplay(t)
	tl := r.tl
	wall := r.wall()
	var lastStart int64 = -1
	for _, at := range []time.Duration{10 * time.Second, 30 * time.Second, 50 * time.Second} {
		*clock = time.Unix(0, 0).Add(at)
		replayTick(r)
		pos := r.playPosition()
		from, to := tl.Window()
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
	if w := span(tl); w != int64(15*time.Millisecond) {
		t.Errorf("+ during a slow replay: window %v, want 15ms", time.Duration(w))
	}
	press(r, "s") // back to 1×
	replayTick(r)
	if w := span(tl); w != wall {
		t.Errorf("at 1× the replay shows %v, want the whole %v run", time.Duration(w), time.Duration(wall))
	}
	press(r, "sss")
	replayTick(r)
	if w := span(tl); w != int64(30*time.Millisecond) {
		t.Errorf("slowed again: window %v, want 30ms", time.Duration(w))
	}
	*clock = clock.Add(time.Hour)
	if replayTick(r) != nil {
		t.Error("a replay at its end stops ticking")
	}
	if w := span(tl); w != wall || tl.Zoomed() {
		t.Errorf("after the replay the window is %v (zoomed %v), want the whole %v run", time.Duration(w), tl.Zoomed(), time.Duration(wall))
	}
}

// TestSlowReplayKeepsZoom: a zoom the learner chose before a slowed replay is
// theirs again when it ends.
func TestSlowReplayKeepsZoom(t *testing.T) {
	r, clock := showSlowly(t)
	press(r, "++h")
	before := window(r.tl)
	press(r, "sssR")
	*clock = clock.Add(20 * time.Second)
	replayTick(r)
	if w := window(r.tl); w[1]-w[0] != int64(30*time.Millisecond) {
		t.Fatalf("slow replay window %v", time.Duration(w[1]-w[0]))
	}
	*clock = clock.Add(time.Hour)
	replayTick(r)
	if after := window(r.tl); after != before {
		t.Errorf("after the replay the window is %v, want the learner's %v", after, before)
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

// window is the stretch of time tl showed last.
func window(tl *uitimeline.Timeline) [2]int64 {
	from, to := tl.Window()
	return [2]int64{from, to}
}

// span is how long a stretch of time tl showed last.
func span(tl *uitimeline.Timeline) int64 {
	from, to := tl.Window()
	return to - from
}
