package panel

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// The help bar offers space to resume while paused, and a run paused and resumed still
// finishes: pausing starts the ticks over, and the run's finished message once carried
// the ticks' generation, so the panel dropped it as stale and showed the run live for
// ever.
func TestPausedRunStillFinishes(t *testing.T) {
	gate := make(chan struct{})
	p := NewRunPanel(uitest.Common(&uitest.Runner{Gate: gate}))
	p.SetSize(80, 20)
	p.SetRuns([]experiment.Spec{{Model: experiment.Threads, Workers: 2, Tasks: uitest.Tasks(t, "4*cpu(10ms)")}})
	run := p.Run()
	space := tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	p.Update(space)
	if !strings.Contains(uitest.Plain(p.View()), "paused") {
		t.Fatalf("space pauses the live run:\n%s", uitest.Plain(p.View()))
	}
	if help := p.ShortHelp()[0].Help(); help.Desc != "resume" {
		t.Fatalf("while paused the help bar offers space to %q, want resume", help.Desc)
	}
	p.Update(space)
	if help := p.ShortHelp()[0].Help(); help.Desc != "pause" {
		t.Fatalf("after resuming the help bar offers space to %q, want pause", help.Desc)
	}
	close(gate)
	cmd := p.Update(finishedMsg(t, run))
	if cmd == nil {
		t.Fatal("the finished run was dropped as stale")
	}
	if done, ok := cmd().(RunsDoneMsg); !ok || done.Err != nil || len(done.Stats) != 1 {
		t.Fatalf("want RunsDoneMsg with one run's figures, got %#v", done)
	}
	if p.Busy() || !strings.Contains(uitest.Plain(p.View()), "done in") {
		t.Fatalf("the panel still shows the run live:\n%s", uitest.Plain(p.View()))
	}
}
