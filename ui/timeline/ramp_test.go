package timeline

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// sharedCoreTrace is two threads taking turns on one core in OS time slices of
// slice, for wall: each computes half the time and waits preempted the other half,
// as threads --workers 2 --cores 1 does.
func sharedCoreTrace(slice, wall time.Duration) *timeline.Trace {
	t := &timeline.Trace{Meta: timeline.Meta{Model: "threads", Workers: 2, Cores: 1, Tasks: 2}, Begin: uitest.Begin, End: uitest.Begin + int64(wall)}
	for li := range 2 {
		l := timeline.LaneData{Name: "T" + string(rune('1'+li))}
		for i, at := 0, int64(0); at < int64(wall); i, at = i+1, at+int64(slice) {
			st := timeline.Preempted
			if (i+li)%2 == 0 {
				st = timeline.Running
			}
			l.Events = append(l.Events, timeline.Event{T: uitest.Begin + at, CPUTime: timeline.NoCPUTime, Task: int32(li), PID: 1, TID: int32(10 + li), CPU: 0, State: st})
		}
		t.Lanes = append(t.Lanes, l)
	}
	return t
}

// TestRampHalfBusy: two threads sharing one core read as two half-busy lanes at
// every zoom where a cell holds several slices, never as "mixed", and the legend
// (where it has room, from 80 columns) says how to read the ramp.
func TestRampHalfBusy(t *testing.T) {
	tr := sharedCoreTrace(3*time.Millisecond, 600*time.Millisecond)
	for _, width := range []int{40, 80, 100} { // cells holding parts of 3 slices or more
		tl := NewTimeline(nil)
		tl.SetMode(LanesWorkers)
		d := tl.Draw([]*timeline.Trace{tr}, tr.End-tr.Begin, -1, -1, width, 0)
		for _, lane := range d.Lanes {
			cells := []rune(lane)[labelWidth(frame{traces: []*timeline.Trace{tr}, cpus: [][]int{nil}, mode: LanesWorkers, width: width})+1:]
			for k, c := range cells[1 : len(cells)-1] { // the ends may be cut
				if c != common.Levels[2] && c != common.Levels[3] && c != common.Levels[4] {
					t.Errorf("width %d: cell %d of %q is %q, want a half level (▃▄▅)", width, k+1, lane, c)
					break
				}
			}
		}
		if width >= 80 && !strings.Contains(d.Legend, "share of cell running") || strings.Contains(d.Legend, "mixed") {
			t.Errorf("width %d: legend %q should explain the ramp and not say mixed", width, d.Legend)
		}
	}
}

// TestRampGolden is the text renderer's drawing of two threads on one core.
func TestRampGolden(t *testing.T) {
	golden.RequireEqual(t, RenderRun(sharedCoreTrace(3*time.Millisecond, 600*time.Millisecond), 100))
}
