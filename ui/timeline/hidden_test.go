package timeline

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// manyLaneTrace is a run of n threads taking turns on two cores, a millisecond each,
// with hand-offs between running and waiting for the GIL faster than a column.
func manyLaneTrace(n int) *timeline.Trace {
	ms := int64(time.Millisecond)
	tr := &timeline.Trace{Meta: timeline.Meta{Model: "gil", Workers: n, Cores: 2, Tasks: n}, End: int64(n) * ms}
	for i := range n {
		c := int16(i % 2)
		var evs []timeline.Event
		for k := int64(0); k < 10; k++ {
			st := timeline.Running
			if k%2 == 1 {
				st = timeline.WaitGIL
			}
			evs = append(evs, ev(int64(i)*ms+k*ms/10, st, c))
		}
		evs = append(evs, ev(int64(i+1)*ms, timeline.Off, -1))
		tr.Lanes = append(tr.Lanes, timeline.LaneData{Name: fmt.Sprintf("T%d", i+1), Events: evs})
	}
	return tr
}

// A handout draws a hundred threads in a bounded number of lines: the cores and the
// first workers, a note naming the hidden ones, no lane drawn in full twice, and a
// legend that says what the letters before "a T10" mean.
func TestRenderRunCapsLanes(t *testing.T) {
	out := RenderRun(manyLaneTrace(101), 100)
	lines := strings.Split(out, "\n")
	if len(lines) > plainMaxLanes+plainCloseUpLanes+20 {
		t.Errorf("%d lines for one run:\n%s", len(lines), out)
	}
	if !strings.Contains(out, "worker lanes hidden (T") || !strings.Contains(out, "–T101)") {
		t.Errorf("no note naming the hidden lanes:\n%s", out)
	}
	if strings.Contains(out, "(v: cores only)") {
		t.Errorf("a page offers a key to press:\n%s", out)
	}
	drawn := map[string]int{}
	for _, l := range lines {
		if f := strings.Fields(l); len(f) > 1 && strings.HasPrefix(f[1], "T") && len(f[0]) == 1 {
			drawn[f[1]]++
		}
	}
	if drawn["T101"] > 0 || drawn["T50"] > 0 {
		t.Errorf("late lanes drawn: %v\n%s", drawn, out)
	}
	// The close-up, from the middle of the run, draws a few lanes busy there: not T1,
	// done in the first millisecond, and not all hundred again.
	if _, closeUp, ok := strings.Cut(out, "close up"); ok {
		lanes := 0
		for _, l := range strings.Split(closeUp, "\n") {
			if strings.HasPrefix(l, "T") {
				lanes++
			}
			if strings.HasPrefix(l, "T1 ") {
				t.Errorf("the close-up draws T1, idle in its window:\n%s", out)
			}
		}
		if lanes == 0 || lanes > plainCloseUpLanes {
			t.Errorf("the close-up draws %d lanes, want 1 to %d:\n%s", lanes, plainCloseUpLanes, out)
		}
	}
	if strings.Contains(out, "a T10") && !strings.Contains(out, "1-9 a-z on a core") {
		t.Errorf("lane letters shown but not explained:\n%s", out)
	}
}

func TestHiddenNames(t *testing.T) {
	lanes := []timeline.LaneData{{Name: "T17"}, {Name: "T18"}, {Name: "T101"}}
	for _, tc := range []struct {
		n    int
		want string
	}{{0, ""}, {1, " (T17)"}, {3, " (T17–T101)"}} {
		if got := hiddenNames(lanes[:tc.n]); got != tc.want {
			t.Errorf("hiddenNames(%d lanes) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

// On a page the legend goes on a second line rather than leave out what the lane
// letters mean.
func TestPlainLegendWraps(t *testing.T) {
	var seen seenCells
	for st := range seen.states {
		seen.states[st] = true
	}
	seen.workerMarks, seen.letterMarks = true, true
	got := plainPainter.legend(seen, &Drawing{mixed: true, levels: true}, 80)
	if !strings.Contains(got, "1-9 a-z on a core") || !strings.Contains(got, "\n") {
		t.Errorf("legend at 80 columns:\n%s", got)
	}
	for _, l := range strings.Split(got, "\n") {
		if w := len([]rune(l)); w > 80 {
			t.Errorf("legend line %d wide: %q", w, l)
		}
	}
}

// On a screen, a lane-letter note too long for the line gives way to a shorter one
// rather than vanish.
func TestScreenLegendShortensLaneNote(t *testing.T) {
	var seen seenCells
	// What the coroutines lesson's 101 CPython threads show.
	for _, st := range []timeline.State{timeline.Running, timeline.WaitGIL, timeline.Preempted, timeline.IO, timeline.Idle} {
		seen.states[st] = true
	}
	seen.workerMarks, seen.letterMarks, seen.starMarks = true, true, true
	styled := &painter{styled: true}
	got := ansi.Strip(styled.legend(seen, &Drawing{mixed: true}, 100))
	if !strings.Contains(got, "1-9 a-z") || strings.Contains(got, "\n") || ansi.StringWidth(got) > 100 {
		t.Errorf("screen legend at 100 columns: %q", got)
	}
}

// TestHiddenNoteKeyShowsThem: the note under hidden lanes says how many presses of v
// reach the mode that shows them (v goes from both to cores only, then workers
// only), and that many presses do show more of them.
func TestHiddenNoteKeyShowsThem(t *testing.T) {
	tr := manyLaneTrace(12)
	tl := NewTimeline(uitest.Common(&uitest.Runner{}).Styles)
	workers := func() (n int, view string) {
		d := tl.Draw([]*timeline.Trace{tr}, tr.End, -1, -1, 80, 8)
		for _, l := range d.Lanes {
			f := strings.Fields(uitest.Plain(l))
			for _, label := range f[:min(len(f), 2)] { // "T3", or "a T10" with its core letter
				if len(label) > 1 && label[0] == 'T' && label[1] >= '0' && label[1] <= '9' {
					n++
					break
				}
			}
		}
		return n, uitest.Plain(strings.Join(d.Lanes, "\n"))
	}
	before, view := workers()
	if !strings.Contains(view, "worker lanes hidden") || !strings.Contains(view, "· v twice: workers only") {
		t.Fatalf("both kinds shown, workers hidden: the note should say v twice\n%s", view)
	}
	tl.CycleLanes()
	tl.CycleLanes()
	if after, view := workers(); tl.Mode() != LanesWorkers || after <= before {
		t.Errorf("v twice: mode %v, %d worker lanes (were %d)\n%s", tl.Mode(), after, before, view)
	}
}

// TestLanePrefixExplained: a lane labelled "a T10" has its prefix explained in the
// legend even when no core lane shows an "a" (T10 only waited on I/O).
func TestLanePrefixExplained(t *testing.T) {
	ms := int64(time.Millisecond)
	tr := &timeline.Trace{Meta: timeline.Meta{Model: "gil", Workers: 10, Cores: 2, Tasks: 10}, End: 10 * ms}
	for i := range 10 {
		st, c := timeline.IO, int16(-1)
		if i == 0 {
			st, c = timeline.Running, 0 // one mark on a core: "1"
		}
		evs := []timeline.Event{ev(0, st, c), ev(10*ms, timeline.Off, -1)}
		tr.Lanes = append(tr.Lanes, timeline.LaneData{Name: fmt.Sprintf("T%d", i+1), Events: evs})
	}
	tl := NewTimeline(uitest.Common(&uitest.Runner{}).Styles)
	d := tl.Draw([]*timeline.Trace{tr}, tr.End, -1, -1, 100, 20)
	view := uitest.Plain(strings.Join(append(d.Lanes, d.Legend), "\n"))
	if !strings.Contains(view, "a T10") || !strings.Contains(view, "a-z") {
		t.Errorf("\"a T10\" is drawn, but the legend does not say what the a means:\n%s", view)
	}
}
