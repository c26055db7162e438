package pools

import (
	"testing"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// The racing tasks wait for each other at a start gate, as threading.Barrier makes
// them: task 1's hundred increments cannot finish before task 0, which computes 30 ms
// first, has reached its own. Without the gate they would end in microseconds.
func TestStartGateMakesRacersOverlap(t *testing.T) {
	for _, m := range []experiment.Model{experiment.Threads, experiment.GIL} {
		tr := record(t, experiment.Spec{Model: m, Workers: 2, Tasks: parse(t, "[cpu(30ms) add(100)], add(100)")})
		var first, second timeline.Result
		for _, r := range tr.Results {
			if r.Task == 0 {
				first = r
			} else {
				second = r
			}
		}
		if reached := first.Start + int64(25*time.Millisecond); second.End < reached {
			t.Errorf("%s: task 1 ended %v after task 0 began, before task 0 reached its add", m, time.Duration(second.End-first.Start))
		}
	}
}

// Only the first tasks that race wait, once: a run whose adding tasks are fewer than
// two has no gate, and a later task passes without waiting.
func TestStartGateGatesTheFirstRacersOnly(t *testing.T) {
	if g := newStartGate(parse(t, "add(5), 3*cpu(1ms)"), 4); g != nil {
		t.Errorf("one adding task: gate %v, want none", g.gated)
	}
	g := newStartGate(parse(t, "cpu(1ms) then 3*add(5), add(7)"), 2)
	if g == nil || len(g.gated) != 2 || !g.gated[1] || !g.gated[2] {
		t.Fatalf("gated %v, want tasks 1 and 2", g)
	}
}

// C code that lets the GIL go (hash) runs beside the other thread under the GIL: its
// threads hardly wait for the lock, where two CPU-bound Python threads wait about half
// the time each. Waiting for the lock is the model's own state, whatever else the
// machine runs.
func TestHashRunsBesideTheGIL(t *testing.T) {
	wait := func(tasks string) time.Duration {
		tr := record(t, experiment.Spec{Model: experiment.GIL, Workers: 2, Tasks: parse(t, tasks)})
		return timeline.Compute(tr).GILWait
	}
	hash, cpu := wait("2*hash(60ms)"), wait("2*cpu(60ms)")
	if hash*4 > cpu || cpu < 20*time.Millisecond {
		t.Errorf("waiting for the GIL: %v hashing, %v computing Python; want the hashing threads to wait far less", hash, cpu)
	}
}

// v.value += 1 on a multiprocessing.Value is a load and a store, each locked on its
// own: add(N, call) in worker processes goes through the shared page that way and
// loses updates, where add(N, shared) holds the lock across both and loses none.
func TestProcessesLoseSharedUpdatesAcrossACall(t *testing.T) {
	spec := experiment.Spec{Model: experiment.Processes, Workers: 2, ChunkSize: 1, Tasks: parse(t, "2*add(3000000, call)")}
	for try := 1; ; try++ {
		tr := record(t, spec)
		st := timeline.Compute(tr)
		if st.CounterFinal <= 0 || st.CounterFinal > st.CounterExpected {
			t.Fatalf("counter %d of %d: the workers did not count in shared memory", st.CounterFinal, st.CounterExpected)
		}
		if st.CounterFinal < st.CounterExpected {
			return
		}
		if overlap(tr, 0, 1) > 5*time.Millisecond || try == 3 {
			t.Fatalf("the workers ran together %v and lost nothing", overlap(tr, 0, 1))
		}
	}
}
