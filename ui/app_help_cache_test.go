package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// The help bar is kept between frames, so it must follow the screen's keys as they
// change: the lab offers pause while a run is live, and its own keys again after;
// a new width draws it again, and so does the lab's spec line after a key changes it.
func TestHelpBarAndSpecLinesFollowTheLab(t *testing.T) {
	gate := make(chan struct{})
	app := NewApp(AppOptions{Runner: &uitest.Runner{Gate: gate}, Lab: true,
		LabSpec: experiment.Spec{Model: experiment.GIL, Workers: 2, Tasks: uitest.Tasks(t, "4*cpu(20ms)")}})
	app.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	last := func() string {
		lines := strings.Split(ansi.Strip(app.View().Content), "\n")
		return lines[len(lines)-1]
	}
	if bar := last(); !strings.Contains(bar, "m model") || strings.Contains(bar, "pause") {
		t.Fatalf("a ready lab's help bar: %q", bar)
	}
	_, cmd := app.Update(uitest.Key("r"))
	if bar := last(); !strings.Contains(bar, "pause") || strings.Contains(bar, "m model") {
		t.Fatalf("a live run's help bar: %q", bar)
	}
	close(gate)
	app.Update(uitest.Pump(t, func(msg tea.Msg) tea.Cmd { _, cmd := app.Update(msg); return cmd }, cmd, isRunsDone))
	if bar := last(); !strings.Contains(bar, "m model") || strings.Contains(bar, "pause") {
		t.Fatalf("the help bar after the run: %q", bar)
	}
	app.Update(tea.WindowSizeMsg{Width: 60, Height: 30})
	if bar := last(); ansi.StringWidth(bar) > 60 {
		t.Fatalf("the help bar after narrowing to 60 columns is %d wide: %q", ansi.StringWidth(bar), bar)
	}
	app.Update(uitest.Key("w"))
	if view := ansi.Strip(app.View().Content); !strings.Contains(view, "workers 3") {
		t.Fatalf("the spec line after w still says:\n%s", view)
	}
}
