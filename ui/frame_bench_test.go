package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// BenchmarkLessonView is the lesson player's own part of a frame at 100×30, around its
// run panel: the heading, the step's text and the prediction, drawn on every frame of
// a live run.
func BenchmarkLessonView(b *testing.B) {
	p := newLessonPlayer(uitest.Common(&uitest.Runner{}), uitest.BuiltinLesson(b, "price-of-processes"), 1, nil)
	p.SetSize(100, 29)
	b.ReportAllocs()
	for b.Loop() {
		_ = p.View()
	}
}

// BenchmarkLabLiveView is the lab's own part of a frame during a live 2-worker run
// at 100×30, as the app draws it before Bubble Tea's renderer: the lab around its
// panel, the help bar, and the checks that every line fits. The panel's drawing of
// each frame is panel.BenchmarkLiveFrame.
func BenchmarkLabLiveView(b *testing.B) {
	gate := make(chan struct{})
	defer close(gate)
	app := NewApp(AppOptions{Runner: &uitest.Runner{Gate: gate}, Lab: true,
		LabSpec: experiment.Spec{Model: experiment.Processes, Workers: 2, Tasks: uitest.Tasks(b, "16*cpu(150ms)")}})
	defer app.Shutdown()
	app.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	app.Update(uitest.Key("r"))
	if !app.screen.(*Lab).panel.Busy() {
		b.Fatal("the lab's run is not live")
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = app.View()
	}
}
