package calibrate

import (
	"testing"
	"time"

	"github.com/coreography/coreography/internal/timeline"
)

// span is one state from t (µs) with the CPU used by then (µs), for a hand-made lane.
type span struct {
	t, cpu int64
	st     timeline.State
	task   int32
}

func traceOf(end int64, lanes ...[]span) *timeline.Trace {
	rec := timeline.NewRecorder(timeline.Meta{Model: "gil"})
	rec.Begin(0)
	for i, l := range lanes {
		lane := rec.Lane("T" + string(rune('1'+i)))
		for _, s := range l {
			lane.Append(timeline.Event{T: s.t * 1000, CPUTime: s.cpu * 1000, Task: s.task, CPU: 0, State: s.st})
		}
	}
	rec.Finish(end * 1000)
	return rec.Snapshot()
}

// Two GIL threads taking turns: T1 runs 0-1000 µs, hands off (40 µs with neither
// running), T2 runs 1040-2040, hands off (60 µs), T1 runs 2100-3000.
func twoThreadsTakingTurns() *timeline.Trace {
	run, wait := timeline.Running, timeline.WaitGIL
	return traceOf(3000,
		[]span{{0, 0, run, 0}, {1000, 1000, wait, 0}, {2100, 1010, run, 0}, {3000, 1910, timeline.Off, -1}},
		[]span{{0, 0, wait, 1}, {1040, 5, run, 1}, {2040, 1015, wait, 1}, {3000, 1020, timeline.Off, -1}},
	)
}

func TestProbeTraceReadings(t *testing.T) {
	tr := twoThreadsTakingTurns()
	if got := runningCPU(tr); got != 2910*time.Microsecond {
		t.Errorf("running CPU %v, want 2.91ms (1000 + 900 + 1010)", got)
	}
	// Gaps of 40 and 60 µs: the median of two is their mean.
	if got := medianIdleGap(tr); got != 50*time.Microsecond {
		t.Errorf("median idle gap %v, want 50µs", got)
	}
	// Takes at 1040 and 2100 (T2's first wait ends at 1040; T1's at 2100): one cycle of 1060 µs.
	if got := medianTakeCycle(tr); got != 1060*time.Microsecond {
		t.Errorf("median take cycle %v, want 1.06ms", got)
	}
}

// An event loop of two coroutines that each await io(10ms) once: first resumes cost
// 3 and 5 µs, last resumes 7 and 9 µs; the first coroutine awaited at 5 µs, so its
// timer was due at 10.005 ms, and the loop resumed it at 10.513 ms: 508 µs late.
func TestLoopCosts(t *testing.T) {
	run, idle := timeline.Running, timeline.Idle
	tr := traceOf(10600, []span{
		{0, 0, run, 0}, {5, 3, run, 1}, {13, 8, idle, -1},
		{10513, 8, run, 0}, {10520, 15, run, 1}, {10530, 24, idle, -1}, {10600, 24, timeline.Off, -1},
	})
	step, end, late := loopCosts(tr, 10*time.Millisecond)
	if step != 4*time.Microsecond || end != 4*time.Microsecond || late != 508*time.Microsecond {
		t.Errorf("step %v end %v late %v, want 4µs, 4µs (8 − 4) and 508µs (from the first await at 5 µs)", step, end, late)
	}
}
