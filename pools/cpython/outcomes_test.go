package cpython

import (
	"context"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// Every py-* model runs fail and add on the real interpreter: a fail step's
// exception surfaces at result() and ends only its task; counter += 1 under the GIL
// loses nothing; each worker process counts in its own copy of a global, and a
// multiprocessing.Value with get_lock() counts every increment.
func TestEveryModelRunsFailAndAdd(t *testing.T) {
	needPython(t)
	for _, tc := range []struct {
		model          experiment.Model
		workers        int
		plain, counted int64 // counter_final of 2*add(20000) and of 2*add(20000, shared)
	}{
		{experiment.PySerial, 1, 40000, 40000},
		{experiment.PyThreads, 2, 40000, 40000},
		{experiment.PyProcesses, 2, 0, 40000},
		{experiment.PyPool, 2, 0, 40000},
		{experiment.PyAsyncio, 1, 40000, 40000},
	} {
		t.Run(string(tc.model), func(t *testing.T) {
			tr, err := run(t, context.Background(), spec(t, tc.model, tc.workers, "3*cpu(5ms), [cpu(5ms) fail add(7)], 2*add(20000)"))
			if err != nil {
				t.Fatal(err)
			}
			st := timeline.Compute(tr)
			if st.TasksDone != 6 || st.TasksFailed != 1 || len(tr.Results) != 6 {
				t.Errorf("done %d, failed %d, results %d; want 6, 1, 6", st.TasksDone, st.TasksFailed, len(tr.Results))
			}
			if st.CounterExpected != 40000 || st.CounterFinal != tc.plain {
				t.Errorf("counter %d of %d; want %d of 40000", st.CounterFinal, st.CounterExpected, tc.plain)
			}
			tr, err = run(t, context.Background(), spec(t, tc.model, tc.workers, "2*add(20000, shared), add(5, lock)"))
			if err != nil {
				t.Fatal(err)
			}
			if st := timeline.Compute(tr); st.CounterFinal != tc.counted+5*(tc.plain/40000) {
				t.Errorf("shared: counter %d of %d", st.CounterFinal, st.CounterExpected)
			}
		})
	}
}

// A function call between the read and the write lets CPython hand the GIL over
// inside an increment: threads that start together (the driver's start gate) lose
// updates, and so do processes doing v.value += 1 on a Value without get_lock().
// A busy machine may deny the threads a hand-off: a run that lost nothing is tried
// again, three times at most.
func TestACallBetweenReadAndWriteLosesUpdates(t *testing.T) {
	needPython(t)
	for _, model := range []experiment.Model{experiment.PyThreads, experiment.PyProcesses} {
		t.Run(string(model), func(t *testing.T) {
			for try := 1; ; try++ {
				tr, err := run(t, context.Background(), spec(t, model, 2, "2*add(200000, call)"))
				if err != nil {
					t.Fatal(err)
				}
				st := timeline.Compute(tr)
				if st.CounterFinal <= 0 || st.CounterFinal > st.CounterExpected || st.CounterExpected != 400000 {
					t.Fatalf("counter %d of %d", st.CounterFinal, st.CounterExpected)
				}
				if st.CounterFinal < st.CounterExpected {
					t.Logf("lost %d of %d", st.CounterExpected-st.CounterFinal, st.CounterExpected)
					return
				}
				if try == 3 {
					t.Fatalf("lost nothing in three runs")
				}
			}
		})
	}
}

// cancel-after cancels what is still queued, as Future.cancel() does: a thread pool's
// queue, and a process pool's work items not yet moved to its call queue.
func TestCancelAfterCancelsQueuedTasks(t *testing.T) {
	needPython(t)
	for _, model := range []experiment.Model{experiment.PySerial, experiment.PyThreads, experiment.PyProcesses} {
		t.Run(string(model), func(t *testing.T) {
			s := spec(t, model, 1, "12*cpu(40ms)")
			s.CancelAfter = 60 * time.Millisecond
			tr, err := run(t, context.Background(), s)
			if err != nil {
				t.Fatal(err)
			}
			st := timeline.Compute(tr)
			if st.TasksDone != 12 || st.TasksCancelled < 6 || st.TasksCancelled > 11 {
				t.Errorf("done %d, cancelled %d; want 12 done, most of them cancelled, the first one run", st.TasksDone, st.TasksCancelled)
			}
			for _, r := range tr.Results {
				if r.Outcome == timeline.Cancelled && r.Start != 0 {
					t.Errorf("cancelled task %d has a start", r.Task)
				}
			}
		})
	}
}

// hash(d) is C code that lets the GIL go: two threads keep more cores busy than two
// pure-Python threads do in the same sitting. Other programs on a busy machine take
// the cores from both alike: after three runs that could not tell, the test skips.
func TestHashRunsInParallelOnCPython(t *testing.T) {
	needPython(t)
	parallelism := func(tasks string) float64 {
		tr, err := run(t, context.Background(), spec(t, experiment.PyThreads, 2, tasks))
		if err != nil {
			t.Fatal(err)
		}
		st := timeline.Compute(tr)
		return st.Parallelism
	}
	for try := 1; try <= 3; try++ {
		c, py := parallelism("2*hash(150ms)"), parallelism("2*cpu(150ms)")
		t.Logf("parallelism: hash %.2f, pure Python %.2f", c, py)
		if c >= 1.6 && py <= 1.2 {
			return
		}
		if py > 1.2 {
			t.Fatalf("two pure-Python threads kept %.2f cores busy: the GIL did not hold them", py)
		}
	}
	t.Skip("the machine was too busy to see two threads hashing at once")
}
