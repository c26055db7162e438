package pools

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// runProcessesSpec runs a processes spec the way the Runner does and returns its trace.
func runProcessesSpec(t *testing.T, ctx context.Context, spec experiment.Spec) (*timeline.Trace, error) {
	t.Helper()
	spec.Model = experiment.Processes
	if err := spec.Validate(); err != nil {
		t.Fatalf("spec %v: %v", spec, err)
	}
	rec := timeline.NewRecorder(spec.Meta())
	rec.Begin(timeline.Now())
	err := runProcesses(ctx, spec, rec)
	rec.Finish(timeline.Now())
	return rec.Snapshot(), err
}

func mustTasks(t *testing.T, notation string) experiment.Tasks {
	t.Helper()
	ts, err := experiment.ParseTasks(notation)
	if err != nil {
		t.Fatalf("tasks %q: %v", notation, err)
	}
	return ts
}

func TestProcessesRunEveryTask(t *testing.T) {
	const notation = "7*cpu(2ms) in=3KB out=1KB, 4*[io(1ms) cpu(1ms)] out=100KB"
	for _, tc := range []struct {
		name  string
		chunk int
		fresh bool
	}{
		{"chunk 1", 1, false},
		{"chunk 3", 3, false},
		{"chunk auto", 0, false},
		{"fresh", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tasks := mustTasks(t, notation)
			spec := experiment.Spec{Workers: 2, ChunkSize: tc.chunk, Fresh: tc.fresh, Tasks: tasks}
			tr, err := runProcessesSpec(t, context.Background(), spec)
			if err != nil {
				t.Fatal(err)
			}
			if tr.TasksDone != int64(tasks.Count()) {
				t.Errorf("TasksDone = %d, want %d", tr.TasksDone, tasks.Count())
			}
			var payloads int64
			for _, task := range tasks.List() {
				payloads += task.In + task.Out
			}
			if tr.IPCBytes < payloads {
				t.Errorf("IPCBytes = %d, less than the %d bytes of payloads", tr.IPCBytes, payloads)
			}
			if len(tr.Lanes) != 2 {
				t.Fatalf("%d lanes, want 2", len(tr.Lanes))
			}
			starts := 0
			for _, l := range tr.Lanes {
				if !strings.HasPrefix(l.Name, "worker ") || !strings.Contains(l.Name, " · pid ") {
					t.Errorf("lane named %q", l.Name)
				}
				if len(l.Events) == 0 || l.Events[0].State != timeline.Starting {
					t.Fatalf("lane %q does not begin Starting: %v", l.Name, l.Events)
				}
				if last := l.Events[len(l.Events)-1]; last.State != timeline.Off {
					t.Errorf("lane %q ends %v, not off", l.Name, last.State)
				}
				seen := map[timeline.State]bool{}
				for i, e := range l.Events {
					if i > 0 && e.T < l.Events[i-1].T {
						t.Fatalf("lane %q: event %d is before the one ahead of it", l.Name, i)
					}
					if e.State == timeline.Starting {
						starts++
					}
					seen[e.State] = true
				}
				// A worker that started late on a busy machine may find every task taken;
				// one that did work ran it and moved its payloads.
				if !slices.ContainsFunc(l.Events, func(e timeline.Event) bool { return e.Task != timeline.NoTask }) {
					continue
				}
				for _, st := range []timeline.State{timeline.Running, timeline.Transfer} {
					if !seen[st] {
						t.Errorf("lane %q never %v", l.Name, st)
					}
				}
			}
			if tc.fresh && starts != tasks.Count() {
				t.Errorf("fresh: %d process starts for %d tasks", starts, tasks.Count())
			}
			if !tc.fresh && starts != 2 {
				t.Errorf("pool: %d process starts for 2 workers", starts)
			}
			if s := timeline.Compute(tr); s.Startup <= 0 || s.IPC <= 0 {
				t.Errorf("startup %v, ipc %v: want both > 0", s.Startup, s.IPC)
			}
		})
	}
}

// A worker's events reach its lane while it computes, not only when its task ends:
// the TUI draws them live.
func TestProcessesLanesAreLive(t *testing.T) {
	spec := experiment.Spec{Model: experiment.Processes, Workers: 1, Tasks: mustTasks(t, "2*cpu(300ms)")}
	rec := timeline.NewRecorder(spec.Meta())
	done := make(chan error, 1)
	go func() { done <- runProcesses(context.Background(), spec, rec) }()
	var lag time.Duration = -1
	for lag < 0 {
		select {
		case err := <-done:
			t.Fatalf("the run ended (%v) before its lane showed a task running", err)
		case <-time.After(2 * time.Millisecond):
		}
		for _, l := range rec.Snapshot().Lanes {
			for _, e := range l.Events {
				if e.State == timeline.Running {
					lag = time.Duration(timeline.Now() - e.T)
					break
				}
			}
		}
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// Flushed every 10ms; the machine is noisy, so allow far more, but less than the task.
	if lag > 200*time.Millisecond {
		t.Errorf("a running task showed up %v after it started", lag)
	}
	t.Logf("running showed up %v after it started", lag)
}
