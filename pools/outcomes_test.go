package pools

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// allModels are the five real engines.
var allModels = append(append([]experiment.Model{}, inProcessModels...), experiment.Processes)

// outcomesOf maps each task to its recorded result, failing on a task recorded twice.
func outcomesOf(t *testing.T, tr *timeline.Trace) map[int32]timeline.Result {
	t.Helper()
	got := map[int32]timeline.Result{}
	for _, r := range tr.Results {
		if _, twice := got[r.Task]; twice {
			t.Fatalf("task %d finished twice: %+v", r.Task, tr.Results)
		}
		got[r.Task] = r
	}
	return got
}

// A fail step ends its task as failed, like an exception raised in a worker that
// surfaces at result(); the run goes on and every other task is done.
func TestFailStepFailsOnlyItsTask(t *testing.T) {
	for _, m := range allModels {
		t.Run(string(m), func(t *testing.T) {
			spec := experiment.Spec{Model: m, Tasks: parse(t, "3*cpu(2ms), [cpu(20ms) fail cpu(1s)], 2*[io(1ms) cpu(1ms)]")}
			if m != experiment.Serial && m != experiment.Asyncio {
				spec.Workers = 2
			}
			tr := record(t, spec)
			st := timeline.Compute(tr)
			if st.TasksFailed != 1 || st.TasksCancelled != 0 || tr.TasksDone != 6 || len(st.CompletionOrder) != 6 {
				t.Fatalf("failed %d, cancelled %d, done %d, order %v; want 1 failed of 6 done",
					st.TasksFailed, st.TasksCancelled, tr.TasksDone, st.CompletionOrder)
			}
			for i, r := range outcomesOf(t, tr) {
				want := timeline.Done
				if i == 3 {
					want = timeline.Failed
				}
				if r.Outcome != want || r.Submit > r.Start || r.Start > r.End || r.Start < tr.Begin || r.End > tr.End {
					t.Errorf("task %d: %+v, want %v within the run [%d, %d]", i, r, want, tr.Begin, tr.End)
				}
			}
			// The failing task's cpu(1s) after fail never ran: the run is far shorter.
			if wall := time.Duration(tr.End - tr.Begin); wall > 900*time.Millisecond {
				t.Errorf("the run took %v: the step after fail ran", wall)
			}
		})
	}
}

// cancel-after cancels what is still queued; what was running finishes; every task
// ends exactly once, and a later phase that can no longer start does not hang the run.
func TestCancelAfterCancelsQueuedTasks(t *testing.T) {
	for _, m := range allModels {
		t.Run(string(m), func(t *testing.T) {
			spec := experiment.Spec{Model: m, Tasks: parse(t, "8*cpu(25ms) then 2*cpu(1ms)"), CancelAfter: 10 * time.Millisecond}
			if m == experiment.Processes {
				spec.ChunkSize = 1
			}
			tr := record(t, spec)
			st := timeline.Compute(tr)
			if tr.TasksDone != 10 || len(tr.Results) != 10 {
				t.Fatalf("done %d, results %d; want every task ended once", tr.TasksDone, len(tr.Results))
			}
			if st.TasksCancelled < 2 { // 2 workers at most: 8 tasks of 25ms cannot all have started by 10ms
				t.Errorf("%d cancelled of 10 tasks of 25ms, cancelled at 10ms", st.TasksCancelled)
			}
			cancelAt := tr.Begin + int64(10*time.Millisecond)
			for i, r := range outcomesOf(t, tr) {
				switch {
				case r.Outcome == timeline.Cancelled && (r.Start != 0 || r.End < cancelAt):
					t.Errorf("task %d cancelled at %v, started %d", i, time.Duration(r.End-tr.Begin), r.Start)
				case r.Outcome == timeline.Done && r.Start == 0:
					t.Errorf("task %d done but never started", i)
				}
			}
		})
	}
}

// Results arrive in the order tasks finish, not the order they were submitted, as
// as_completed yields them; one thread finishes them in order.
func TestCompletionOrderIsFinishingOrder(t *testing.T) {
	for _, m := range allModels {
		t.Run(string(m), func(t *testing.T) {
			spec := experiment.Spec{Model: m, Tasks: parse(t, "io(300ms), io(20ms), io(120ms)")}
			want := []int32{1, 2, 0}
			switch m {
			case experiment.Serial:
				want = []int32{0, 1, 2}
			case experiment.Threads, experiment.GIL, experiment.Processes:
				spec.Workers = 3
			}
			if m == experiment.Processes {
				spec.ChunkSize = 1
			}
			st := timeline.Compute(record(t, spec))
			if !slices.Equal(st.CompletionOrder, want) || st.FirstDone != want[0] {
				t.Fatalf("completion order %v, first %d; want %v", st.CompletionOrder, st.FirstDone, want)
			}
		})
	}
}

// A worker slow to start takes no task before it can run one: the others, up first,
// take the first tasks, as Python's pool workers take them from one queue. (A task
// claimed at spawn waited in the slow worker's pipe, and finished after a longer task
// submitted after it: CI saw [2 1 0].)
func TestSlowStartingWorkerTakesNoTaskEarly(t *testing.T) {
	t.Setenv(slowStartEnv, filepath.Join(t.TempDir(), "slow"))
	spec := experiment.Spec{Model: experiment.Processes, Workers: 3, ChunkSize: 1,
		Tasks: parse(t, "io(300ms), io(20ms), io(120ms)")}
	st := timeline.Compute(record(t, spec))
	if want := []int32{1, 2, 0}; !slices.Equal(st.CompletionOrder, want) {
		t.Fatalf("with one worker starting 300 ms late, completion order %v; want %v", st.CompletionOrder, want)
	}
}
