package panel

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// TestPanelLiveStopAndStaleTicks runs a spec that stays live until released: the
// panel is busy and ticking, Stop ends it without waiting, and old ticks do nothing.
func TestPanelLiveStopAndStaleTicks(t *testing.T) {
	gate := make(chan struct{})
	c := uitest.Common(&uitest.Runner{Gate: gate})
	p := NewRunPanel(c)
	p.SetSize(80, 20)
	p.SetRuns([]experiment.Spec{{Model: experiment.Threads, Workers: 2, Tasks: uitest.Tasks(t, "4*cpu(10ms)")}})
	if cmd := p.Run(); cmd == nil || !p.Busy() {
		t.Fatal("Run returns its commands and the panel is busy")
	}
	stale := panelTickMsg{id: p.id, gen: p.gen - 1}
	if p.Update(stale) != nil {
		t.Error("a tick of an older generation must die")
	}
	if p.Update(panelTickMsg{id: p.id, gen: p.gen}) == nil {
		t.Error("a live run keeps ticking")
	}
	if !strings.Contains(uitest.Plain(p.View()), "running") {
		t.Errorf("a live panel says so:\n%s", uitest.Plain(p.View()))
	}
	done := make(chan struct{})
	go func() { p.Stop(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("Stop did not return")
	}
	if p.Busy() {
		t.Error("a stopped panel is not busy")
	}
	if p.Update(panelTickMsg{id: p.id, gen: p.gen}) != nil {
		t.Error("a stopped panel stops ticking")
	}
}

func TestPanelShowsEngineError(t *testing.T) {
	c := uitest.Common(&uitest.Runner{Err: errors.New("worker 2 exited: signal: killed")})
	p := NewRunPanel(c)
	p.SetSize(80, 20)
	p.SetRuns([]experiment.Spec{{Model: experiment.Processes, Workers: 2, Tasks: uitest.Tasks(t, "4*cpu(10ms)")}})
	cmd := p.Update(finishedMsg(t, p.Run()))
	if cmd == nil {
		t.Fatal("a failed run still reports RunsDoneMsg")
	}
	done, ok := cmd().(RunsDoneMsg)
	if !ok || done.Err == nil {
		t.Fatalf("RunsDoneMsg carries the error, got %#v", done)
	}
	view := uitest.Plain(p.View())
	if !strings.Contains(view, "failed: worker 2 exited: signal: killed") {
		t.Errorf("the error shows in the panel:\n%s", view)
	}
	if _, err := p.Results(); err == nil {
		t.Error("Results returns the error")
	}
}

// finishedMsg runs the commands Run returned until the one that waits for the run
// goroutine reports.
func finishedMsg(t *testing.T, cmd tea.Cmd) tea.Msg {
	t.Helper()
	msg := cmd()
	if batch, ok := msg.(tea.BatchMsg); ok {
		for _, c := range batch {
			if m := c(); m != nil {
				if f, ok := m.(panelFinishedMsg); ok {
					return f
				}
			}
		}
	}
	if f, ok := msg.(panelFinishedMsg); ok {
		return f
	}
	t.Fatalf("Run's commands never reported the run finished")
	return nil
}

// TestReplayPlaysBackSlowly: s slows the replay R starts, the header says where it
// is, and it stops ticking at its end.
func TestReplayPlaysBackSlowly(t *testing.T) {
	c := uitest.Common(nil)
	tr := uitest.Trace(t, experiment.GIL, 2, "4*cpu(20ms)")
	clock := time.Unix(0, 0)
	c.Now = func() time.Time { return clock }
	r := NewRunPanel(c)
	r.ShowTraces([]*timeline.Trace{tr})
	r.SetSize(100, 20)
	for range 2 {
		r.Update(tea.KeyPressMsg{Code: 's', Text: "s"}) // 1× → 0.5× → 0.1×
	}
	cmd := r.Update(tea.KeyPressMsg{Code: 'R', Text: "R"})
	if cmd == nil {
		t.Fatal("R starts ticking")
	}
	clock = clock.Add(100 * time.Millisecond) // 10ms of the run at 0.1×
	if r.Update(panelTickMsg{id: r.id, gen: r.gen}) == nil {
		t.Fatal("a replay keeps ticking until its end")
	}
	if pos := r.playPosition(); pos != int64(10*time.Millisecond) {
		t.Errorf("after 100ms at 0.1× the replay is at %v, want 10ms", time.Duration(pos))
	}
	if !strings.Contains(uitest.Plain(r.View()), "replay 0.1× 10ms") {
		t.Errorf("the header says where the replay is:\n%s", uitest.Plain(r.View()))
	}
	clock = clock.Add(time.Hour)
	if r.Update(panelTickMsg{id: r.id, gen: r.gen}) != nil {
		t.Error("a replay at its end stops ticking")
	}
	stats, err := r.Results()
	if err != nil || len(stats) != 1 || stats[0].Wall != time.Duration(tr.End-tr.Begin) {
		t.Errorf("Results of a shown trace: %v, %v", stats, err)
	}
}
