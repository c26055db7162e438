package panel

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// BenchmarkLiveFrameToTerminal is where one live frame's time goes, at 100×30: the
// panel drawing its string (panel), then what Bubble Tea's renderer does with it each
// time it changed (cursed_renderer.go flush): clear its cell buffer and parse the
// whole string into it (parse), and that followed by the diff of every cell against
// the last frame and the encoding of the changes (diff: all a changed frame costs the
// renderer). Consecutive frames of a live 2-worker run alternate, as on screen.
func BenchmarkLiveFrameToTerminal(b *testing.B) {
	const width, height = 100, 30
	p := NewRunPanel(uitest.Common(nil))
	p.SetSize(width, height)
	p.state = panelRunning
	frames := make([]*timeline.Trace, 36)
	views := make([]string, len(frames))
	for i := range frames {
		frames[i] = liveTrace(time.Duration(i+1) * frameInterval)
		p.traces = frames[i : i+1]
		p.render()
		views[i] = common.FitLines(strings.Split(p.View(), "\n"), width, height, "", true)
	}
	buf := uv.NewScreenBuffer(width, height)
	scr := uv.NewTerminalRenderer(io.Discard, []string{"TERM=xterm-256color"})
	scr.SetColorProfile(colorprofile.TrueColor)
	scr.SetFullscreen(true)
	scr.SetScrollOptim(true) // as Bubble Tea sets it outside Windows
	scr.Resize(width, height)
	cpu := func(b *testing.B, frame func(i int)) {
		i := 0
		cpu0 := uitest.ProcessCPUNow()
		for b.Loop() {
			frame(i % len(frames))
			i++
		}
		b.ReportMetric(float64(uitest.ProcessCPUNow()-cpu0)/float64(b.N), "cpu-ns/op")
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
