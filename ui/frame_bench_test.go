package ui

import (
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// BenchmarkLiveFrameToTerminal is where one live frame's time goes, at 100×30: the
// panel drawing its string (panel), then what Bubble Tea's renderer does with it each
// time it changed (cursed_renderer.go flush): clear its cell buffer and parse the
// whole string into it (parse), and that followed by the diff of every cell against
// the last frame and the encoding of the changes (diff: all a changed frame costs the
// renderer). Consecutive frames of a live 2-worker run alternate, as on screen.
func BenchmarkLiveFrameToTerminal(b *testing.B) {
	const width, height = 100, 30
	p := NewRunPanel(testCommon(nil))
	p.SetSize(width, height)
	p.state = panelRunning
	frames := make([]*timeline.Trace, 36)
	views := make([]string, len(frames))
	for i := range frames {
		frames[i] = liveTrace(time.Duration(i+1) * frameInterval)
		p.traces = frames[i : i+1]
		p.render()
		views[i] = fitLines(strings.Split(p.View(), "\n"), width, height, "", true)
	}
	buf := uv.NewScreenBuffer(width, height)
	scr := uv.NewTerminalRenderer(io.Discard, []string{"TERM=xterm-256color"})
	scr.SetColorProfile(colorprofile.TrueColor)
	scr.SetFullscreen(true)
	scr.SetScrollOptim(true) // as Bubble Tea sets it outside Windows
	scr.Resize(width, height)
	cpu := func(b *testing.B, frame func(i int)) {
		i := 0
		cpu0 := processCPUNow()
		for b.Loop() {
			frame(i % len(frames))
			i++
		}
		b.ReportMetric(float64(processCPUNow()-cpu0)/float64(b.N), "cpu-ns/op")
	}
	b.Run("panel", func(b *testing.B) {
		b.ReportAllocs()
		cpu(b, func(i int) { p.traces = frames[i : i+1]; p.render() })
	})
	b.Run("parse", func(b *testing.B) {
		b.ReportAllocs()
		cpu(b, func(i int) {
			buf.Clear()
			uv.NewStyledString(views[i]).Draw(buf, buf.Bounds())
		})
	})
	b.Run("diff", func(b *testing.B) {
		b.ReportAllocs()
		cpu(b, func(i int) {
			buf.Clear()
			uv.NewStyledString(views[i]).Draw(buf, buf.Bounds())
			scr.Render(buf.RenderBuffer)
			scr.Flush()
		})
	})
	b.Run("string", func(b *testing.B) { // what the renderer is given, not a time
		var sgr, size int
		for _, v := range views {
			sgr += strings.Count(v, "\x1b[")
			size += len(v)
		}
		for b.Loop() {
		}
		b.ReportMetric(float64(sgr)/float64(len(views)), "sgr/frame")
		b.ReportMetric(float64(size)/float64(len(views)), "bytes/frame")
	})
}

// BenchmarkLessonView is the lesson player's own part of a frame at 100×30, around its
// run panel: the heading, the step's text and the prediction, drawn on every frame of
// a live run.
func BenchmarkLessonView(b *testing.B) {
	p := newLessonPlayer(testCommon(&fakeRunner{}), builtinLesson(b, "price-of-processes"), 1, nil)
	p.SetSize(100, 29)
	b.ReportAllocs()
	for b.Loop() {
		_ = p.View()
	}
}

// BenchmarkLabLiveView is a whole frame of the lab during a live 2-worker run at
// 100×30 as the app draws it, before Bubble Tea's renderer: the panel's drawing, the
// lab around it, the help bar, and the checks that every line fits.
func BenchmarkLabLiveView(b *testing.B) {
	app := NewApp(AppOptions{Runner: &fakeRunner{}, Lab: true,
		LabSpec: experiment.Spec{Model: experiment.Processes, Workers: 2, Tasks: mustTasks(b, "16*cpu(150ms)")}})
	app.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	p := app.screen.(*Lab).panel
	p.state = panelRunning
	benchLiveFrames(b, func(traces []*timeline.Trace) {
		p.traces = traces
		p.render()
		_ = app.View()
	})
}
