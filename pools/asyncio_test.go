package pools

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// finishedAt is when each task was last seen on the lanes: for a coroutine, the last
// time the loop resumed it.
func finishedAt(tr *timeline.Trace) map[int32]time.Duration {
	out := map[int32]time.Duration{}
	for _, l := range tr.Lanes {
		for _, e := range l.Events {
			if e.Task != timeline.NoTask {
				out[e.Task] = time.Duration(e.T - tr.Begin)
			}
		}
	}
	return out
}

// TestAsyncioCPUBlocksTheLoop: five coroutines sleep 10 ms, then one computes 100 ms on
// the loop thread. The sleepers are due at 10 ms but cannot resume until it is done.
func TestAsyncioCPUBlocksTheLoop(t *testing.T) {
	tr := record(t, experiment.Spec{Model: experiment.Asyncio, Tasks: parse(t, "5*io(10ms), cpu(100ms)")})
	checkTrace(t, tr, 6)
	done := finishedAt(tr)
	for i := range int32(5) {
		if done[i] < 80*time.Millisecond { // loose: the calibrated 100 ms drifts
			t.Errorf("io(10ms) coroutine %d finished at %v, while cpu(100ms) held the loop", i, done[i])
		}
	}
}

// TestAsyncioWaitsConcurrently: sleeps and fetches of all coroutines overlap, so many
// of them take about as long as one.
func TestAsyncioWaitsConcurrently(t *testing.T) {
	for _, tasks := range []string{"2000*io(50ms)", "50*http(50ms)", "100*[io(10ms) cpu(10us) io(10ms)]"} {
		t.Run(tasks, func(t *testing.T) {
			spec := experiment.Spec{Model: experiment.Asyncio, Tasks: parse(t, tasks)}
			tr := record(t, spec)
			checkTrace(t, tr, spec.Tasks.Count())
			if wall := time.Duration(tr.End - tr.Begin); wall > 500*time.Millisecond {
				t.Errorf("took %v: the waits did not overlap", wall)
			}
			idle := spansIn(tr, timeline.Idle)
			if len(idle) == 0 {
				t.Errorf("the loop never showed Idle while every coroutine waited")
			}
			var idleCPU, idleWall int64
			for _, sp := range idle {
				idleCPU, idleWall = idleCPU+max(sp.CPUTime, 0), idleWall+sp.Duration()
			}
			if idleCPU > 2_000_000+idleWall/5 { // the loop blocks while it waits; it must not poll
				t.Errorf("the idle loop used %v of CPU in %v", time.Duration(idleCPU), time.Duration(idleWall))
			}
		})
	}
}

func TestTimerHeapPopsInTimeOrder(t *testing.T) {
	var h timerHeap
	for i := range 1000 {
		h.push(timer{at: rand.Int64N(500), task: int32(i)})
	}
	last := int64(-1)
	for range 1000 {
		tm := h.pop()
		if tm.at < last {
			t.Fatalf("popped %d after %d", tm.at, last)
		}
		last = tm.at
	}
	if len(h) != 0 {
		t.Errorf("%d timers left", len(h))
	}
}
