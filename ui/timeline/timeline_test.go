package timeline

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
	"github.com/coreography/coreography/ui/internal/uitest"
)

func ev(t int64, st timeline.State, cpu int16) timeline.Event {
	return timeline.Event{T: t, State: st, CPU: cpu, CPUTime: timeline.NoCPUTime, Task: 0}
}

// TestDrawOddTraces draws traces engines should never make, and a few they do, at
// many widths: no panic, and no line wider than asked.
func TestDrawOddTraces(t *testing.T) {
	ms := int64(time.Millisecond)
	cases := map[string]*timeline.Trace{
		"no lanes":      {Meta: timeline.Meta{Model: "gil"}, Begin: 0, End: 100 * ms},
		"zero duration": {Meta: timeline.Meta{Model: "gil"}, Begin: 5, End: 5, Lanes: []timeline.LaneData{{Name: "T1", Events: []timeline.Event{ev(5, timeline.Running, 0)}}}},
		"empty lane":    {Meta: timeline.Meta{Model: "threads"}, Begin: 0, End: 10 * ms, Lanes: []timeline.LaneData{{Name: "T1"}}},
		"beyond end": {Meta: timeline.Meta{Model: "threads"}, Begin: 0, End: 10 * ms, Lanes: []timeline.LaneData{{Name: "T1", Events: []timeline.Event{
			ev(-5*ms, timeline.Running, 0), ev(20*ms, timeline.IO, 1), ev(30*ms, timeline.Off, -1)}}}},
		"end before begin": {Meta: timeline.Meta{Model: "serial"}, Begin: 10 * ms, End: 0, Lanes: []timeline.LaneData{{Name: "T1", Events: []timeline.Event{ev(0, timeline.Running, 0)}}}},
		"no core info": {Meta: timeline.Meta{Model: "asyncio"}, Begin: 0, End: 10 * ms, Lanes: []timeline.LaneData{{Name: "a very long lane name that will not fit", Events: []timeline.Event{
			ev(0, timeline.Running, -1), ev(3*ms, timeline.IO, -1)}}}},
		"many lanes": uitest.SyntheticTrace(40, 4000),
		"odd cpu":    {Meta: timeline.Meta{Model: "threads"}, Begin: 0, End: ms, Lanes: []timeline.LaneData{{Name: "T1", Events: []timeline.Event{ev(0, timeline.Running, 32000), ev(ms/2, timeline.State(200), 0)}}}},
	}
	for name, tr := range cases {
		for _, w := range []int{1, 5, 12, 20, 80, 203} {
			for _, mode := range []LaneMode{LanesBoth, LanesCores, LanesWorkers} {
				for _, height := range []int{0, 1, 5} {
					tl := NewTimeline(common.NewStyles(common.Theme{Dark: true}))
					tl.mode = mode
					d := tl.Draw([]*timeline.Trace{tr, tr}, tr.End-tr.Begin, (tr.End-tr.Begin)/2, -1, w, height)
					for _, out := range []string{d.String(), RenderRun(tr, w)} {
						limit := max(w, 20) // RenderRun draws at least 20 columns
						if out == d.String() {
							limit = w
						}
						for i, l := range strings.Split(out, "\n") {
							if got := ansi.StringWidth(l); got > limit {
								t.Fatalf("%s, width %d, %v: line %d is %d wide: %q", name, w, mode, i, got, l)
							}
						}
					}
				}
			}
		}
	}
}

func TestSubCellEdges(t *testing.T) {
	// 10 cells of 1ms; T1 runs from 0 to 4.5ms, then waits; T2 starts running at 7.75ms.
	ms := int64(time.Millisecond)
	tr := &timeline.Trace{Meta: timeline.Meta{Model: "gil"}, Begin: 0, End: 10 * ms, Lanes: []timeline.LaneData{
		{Name: "T1", Events: []timeline.Event{ev(0, timeline.Running, -1), ev(4*ms+ms/2, timeline.WaitGIL, -1)}},
		{Name: "T2", Events: []timeline.Event{ev(0, timeline.Idle, -1), ev(7*ms+3*ms/4, timeline.Running, -1)}},
	}}
	d := newPainter(nil).draw(frame{traces: []*timeline.Trace{tr}, cpus: [][]int{nil}, from: 0, to: 10 * ms, now: -1, clip: -1,
		mode: LanesWorkers, width: 6 + 1 + 10})
	want := []string{"T1     ████▌░░░░░", "T2     ·······▕██"}
	for i, w := range want {
		if d.Lanes[i] != w {
			t.Errorf("lane %d = %q, want %q", i, d.Lanes[i], w)
		}
	}
}

func TestCoreLanesShowWhoRan(t *testing.T) {
	ms := int64(time.Millisecond)
	tr := &timeline.Trace{Meta: timeline.Meta{Model: "threads"}, Begin: 0, End: 4 * ms, Lanes: []timeline.LaneData{
		{Name: "T1", Events: []timeline.Event{ev(0, timeline.Running, 1), ev(2*ms, timeline.Running, 0)}},
		{Name: "T2", Events: []timeline.Event{ev(0, timeline.Running, 0), ev(2*ms, timeline.IO, 0)}},
	}}
	tl := NewTimeline(nil)
	d := tl.Draw([]*timeline.Trace{tr}, 4*ms, -1, -1, 6+1+4, 0)
	got := strings.Join(d.Lanes[:2], "\n")
	want := "core 0 2211\ncore 1 11  "
	if got != want {
		t.Errorf("core lanes:\n%s\nwant:\n%s", got, want)
	}
}

func TestAxisTicks(t *testing.T) {
	for _, c := range []struct {
		from, to int64
		cols     int
		want     string
	}{
		{0, int64(800 * time.Millisecond), 80, "0 100ms 200ms 300ms 400ms 500ms 600ms 700ms"},
		{0, int64(3 * time.Millisecond), 80, "0 0.5ms 1ms 1.5ms 2ms 2.5ms"},
		{0, int64(3 * time.Millisecond), 40, "0 1ms 2ms"},
		{int64(2 * time.Second), int64(4 * time.Second), 60, "2s 2.5s 3s 3.5s"},
		{0, int64(40 * time.Microsecond), 40, "0 10µs 20µs 30µs"},
	} {
		var labels []string
		for _, tk := range axisTicks(c.from, c.to, c.cols) {
			labels = append(labels, tk.label)
		}
		if got := strings.Join(labels, " "); got != c.want {
			t.Errorf("axisTicks(%d, %d, %d) = %q, want %q", c.from, c.to, c.cols, got, c.want)
		}
	}
}

func TestZoomAndPanStayInside(t *testing.T) {
	tl := NewTimeline(nil)
	domain := int64(time.Second)
	tl.place(domain, -1)
	for range 40 {
		tl.ZoomIn()
		from, to := tl.place(domain, -1)
		if from < 0 || to > domain || to <= from {
			t.Fatalf("zoomed window [%d, %d) outside [0, %d)", from, to, domain)
		}
	}
	for range 37 {
		tl.ZoomOut()
	}
	tl.place(domain, -1)
	for range 100 {
		tl.PanLeft()
		tl.place(domain, -1)
	}
	if tl.window[0] != 0 {
		t.Errorf("panning left stops at 0, got %d", tl.window[0])
	}
	for range 10000 {
		tl.PanRight()
		tl.place(domain, -1)
	}
	if tl.window[1] != domain {
		t.Errorf("panning right stops at the end, got %d", tl.window[1])
	}
	for range 60 {
		tl.ZoomOut()
	}
	if from, to := tl.place(domain, -1); from != 0 || to != domain {
		t.Errorf("zooming all the way out shows [%d, %d), want the whole run", from, to)
	}
}

// laneTrace is a trace whose lanes each ran on the given core the whole time.
func laneTrace(model string, cores ...int16) *timeline.Trace {
	ms := int64(time.Millisecond)
	tr := &timeline.Trace{Meta: timeline.Meta{Model: model, Workers: len(cores)}, Begin: 0, End: 10 * ms}
	for i, c := range cores {
		tr.Lanes = append(tr.Lanes, timeline.LaneData{Name: "T" + string(rune('1'+i)), Events: []timeline.Event{ev(0, timeline.Running, c), ev(10*ms, timeline.Off, -1)}})
	}
	return tr
}

// TestPlanLanesWhenShort compares two runs (as the eating-and-the-phone steps do) in
// fewer lines than all their lanes need: lines are never wasted on a note that hides
// a single lane, and what is drawn always fits.
func TestPlanLanesWhenShort(t *testing.T) {
	serial, two := laneTrace("serial", 0), laneTrace("threads", 0, 1)
	cases := []struct {
		mode  LaneMode
		lines int
		want  []string // the lane lines, titles cut to their model
	}{
		// Everything: 3 + 5 lines.
		{LanesBoth, 8, []string{"serial", "core 0", "T1", "threads", "core 0", "core 1", "T1", "T2"}},
		// Pools of one or two keep their workers: core lanes give way first (the
		// legend counts them), and the workers only when no core lane is left. The
		// last run keeps its cores whole, from the earlier runs' ("core 0" alone of
		// two cannot say whether both were busy).
		{LanesBoth, 7, []string{"serial", "T1", "threads", "core 0", "core 1", "T1", "T2"}},
		{LanesBoth, 6, []string{"serial", "T1", "threads", "core 0", "T1", "T2"}},
		{LanesBoth, 5, []string{"serial", "T1", "threads", "T1", "T2"}},
		{LanesBoth, 4, []string{"serial", "T1", "threads", "T1"}},
		{LanesCores, 4, []string{"serial", "threads", "core 0", "core 1"}},
		{LanesCores, 5, []string{"serial", "core 0", "threads", "core 0", "core 1"}},
		{LanesWorkers, 4, []string{"serial", "T1", "threads", "T1"}},
	}
	for _, tc := range cases {
		tl := NewTimeline(nil)
		tl.mode = tc.mode
		d := tl.Draw([]*timeline.Trace{serial, two}, 10*int64(time.Millisecond), -1, -1, 60, tc.lines)
		var got []string
		for _, l := range d.Lanes {
			f := strings.Fields(ansi.Strip(l))
			switch {
			case strings.HasPrefix(l, "+"):
				got = append(got, strings.Join(f, " "))
			case f[0] == "core":
				got = append(got, "core "+f[1])
			case strings.Contains(l, "·"): // a title: "label: model · …"
				got = append(got, strings.TrimSuffix(f[0], ":"))
			default:
				got = append(got, f[0])
			}
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%v in %d lines:\n got %q\nwant %q", tc.mode, tc.lines, got, tc.want)
		}
		// Lanes hidden without a note line are never hidden silently: the legend
		// counts them.
		shown := 0
		for _, w := range tc.want {
			if w == "core 0" || w == "core 1" || w == "T1" || w == "T2" {
				shown++
			}
		}
		all := map[LaneMode]int{LanesBoth: 6, LanesCores: 3, LanesWorkers: 3}[tc.mode]
		noted := strings.Contains(strings.Join(tc.want, "|"), "hidden")
		if legendSays := strings.Contains(d.Legend, fmt.Sprintf("+%d lane", all-shown)); !noted && shown < all && !legendSays {
			t.Errorf("%v in %d lines: %d lanes hidden, legend %q does not say so", tc.mode, tc.lines, all-shown, d.Legend)
		}
	}
}

// TestPanByScreenAndJump: panning back from the end of a 1.3 s run at a 10 ms window
// takes a screen a press (about 145 presses, not 500), and the jumps reach either end
// at once, keeping the zoom.
func TestPanByScreenAndJump(t *testing.T) {
	tl := NewTimeline(nil)
	domain := int64(1300 * time.Millisecond)
	tl.place(domain, -1)
	for tl.window[1]-tl.window[0] > int64(10*time.Millisecond) {
		tl.ZoomIn()
		tl.place(domain, -1)
	}
	w := tl.window[1] - tl.window[0]
	tl.JumpEnd()
	tl.place(domain, -1)
	if tl.window[1] != domain || tl.window[1]-tl.window[0] != w {
		t.Fatalf("end: window %v, want the last %d ns", tl.window, w)
	}
	presses := 0
	for tl.window[0] > 0 {
		tl.PanLeft()
		tl.place(domain, -1)
		presses++
	}
	if limit := int(domain/w)*10/9 + 2; presses > limit {
		t.Errorf("%d presses to pan back from the end, more than a screen each (%d)", presses, limit)
	}
	tl.JumpEnd()
	tl.JumpStart()
	if from, to := tl.place(domain, -1); from != 0 || to != w {
		t.Errorf("start: window [%d, %d), want [0, %d)", from, to, w)
	}
}
