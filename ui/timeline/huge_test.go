package timeline

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// TestAxisTicksHugeSpans: a trace can say anything (a corrupt or hostile file), so
// the axis must neither loop for ever nor overflow on a span near the int64 limits.
// Every tick it returns lies inside the window and the row.
func TestAxisTicksHugeSpans(t *testing.T) {
	for _, c := range []struct{ from, to int64 }{
		{0, math.MaxInt64},
		{math.MaxInt64 - 1000, math.MaxInt64},
		{math.MaxInt64 / 2, math.MaxInt64},
		{math.MinInt64, math.MaxInt64},
		{math.MinInt64, 0},
		{-int64(time.Second), int64(time.Second)},
		{math.MaxInt64 - int64(time.Second), math.MaxInt64 - 1},
	} {
		for _, cols := range []int{1, 7, 80, 400} {
			done := make(chan []axisTick, 1)
			go func() { done <- axisTicks(c.from, c.to, cols) }()
			var ticks []axisTick
			select {
			case ticks = <-done:
			case <-time.After(5 * time.Second):
				t.Fatalf("axisTicks(%d, %d, %d) never returned", c.from, c.to, cols)
			}
			if len(ticks) > cols {
				t.Errorf("axisTicks(%d, %d, %d): %d ticks for %d columns", c.from, c.to, cols, len(ticks), cols)
			}
			for _, tk := range ticks {
				if tk.col < 0 || tk.col+len([]rune(tk.label)) > cols || strings.HasPrefix(tk.label, "-") {
					t.Errorf("axisTicks(%d, %d, %d): tick %+v outside the row or before 0", c.from, c.to, cols, tk)
				}
			}
		}
	}
}

// TestDrawHugeTrace draws a trace whose one event sits near the int64 limit: the frame
// fits its width, whatever the window.
func TestDrawHugeTrace(t *testing.T) {
	for _, end := range []int64{math.MaxInt64, math.MaxInt64 / 3} {
		tr := &timeline.Trace{Meta: timeline.Meta{Model: "threads", Workers: 1}, Begin: 0, End: end,
			Lanes: []timeline.LaneData{{Name: "T1", Events: []timeline.Event{ev(0, timeline.Running, 0), ev(end/2, timeline.IO, 0)}}}}
		tl := NewTimeline(nil)
		done := make(chan string, 1)
		go func() {
			var out []string
			for range 3 {
				out = append(out, tl.Draw([]*timeline.Trace{tr}, end, end-1, -1, 80, 10).String())
				tl.ZoomIn()
				tl.PanRight()
			}
			out = append(out, RenderRun(tr, 80))
			done <- strings.Join(out, "\n")
		}()
		select {
		case out := <-done:
			uitest.CheckWidth(t, out, 80)
		case <-time.After(10 * time.Second):
			t.Fatalf("drawing a trace %d ns long never returned", end)
		}
	}
}
