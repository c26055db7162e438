package pools

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/procwatch"
	"github.com/coreography/coreography/internal/timeline"
)

// inProcessModels are the engines in this package's own threads; processes has its own tests.
var inProcessModels = []experiment.Model{experiment.Serial, experiment.Threads, experiment.GIL, experiment.Asyncio}

func parse(t testing.TB, notation string) experiment.Tasks {
	t.Helper()
	tasks, err := experiment.ParseTasks(notation)
	if err != nil {
		t.Fatalf("ParseTasks(%q): %v", notation, err)
	}
	return tasks
}

// record runs spec to the end and returns what was recorded.
func record(t testing.TB, spec experiment.Spec) *timeline.Trace {
	t.Helper()
	rec := timeline.NewRecorder(spec.Meta())
	if err := New().Run(context.Background(), spec, rec); err != nil {
		t.Fatalf("Run(%v): %v", spec, err)
	}
	return rec.Snapshot()
}

// checkTrace checks what every finished run must look like: all tasks done, every
// lane in time order with its CPU clock never going back, and ending Off.
func checkTrace(t *testing.T, tr *timeline.Trace, tasks int) {
	t.Helper()
	if tr.Live {
		t.Errorf("trace is still live after Run returned")
	}
	if tr.TasksDone != int64(tasks) {
		t.Errorf("TasksDone = %d, want %d", tr.TasksDone, tasks)
	}
	for _, l := range tr.Lanes {
		if len(l.Events) == 0 {
			t.Errorf("lane %s has no events", l.Name)
			continue
		}
		for i := 1; i < len(l.Events); i++ {
			prev, e := l.Events[i-1], l.Events[i]
			if e.T < prev.T {
				t.Errorf("lane %s: event %d at %d is before event %d at %d", l.Name, i, e.T, i-1, prev.T)
			}
			if e.CPUTime >= 0 && prev.CPUTime >= 0 && e.CPUTime < prev.CPUTime {
				t.Errorf("lane %s: CPU time goes back at event %d", l.Name, i)
			}
		}
		if last := l.Events[len(l.Events)-1]; last.State != timeline.Off {
			t.Errorf("lane %s ends %v, want off", l.Name, last.State)
		}
		if first := l.Events[0].T; first < tr.Begin || l.Events[len(l.Events)-1].T > tr.End {
			t.Errorf("lane %s has events outside the run [%d, %d]", l.Name, tr.Begin, tr.End)
		}
	}
}

func laneNames(tr *timeline.Trace) []string {
	var names []string
	for _, l := range tr.Lanes {
		names = append(names, l.Name)
	}
	return names
}

// tasksSeen lists the tasks that appear on the lanes, each once.
func tasksSeen(tr *timeline.Trace) []int32 {
	var seen []int32
	for _, l := range tr.Lanes {
		for _, e := range l.Events {
			if e.Task != timeline.NoTask && !slices.Contains(seen, e.Task) {
				seen = append(seen, e.Task)
			}
		}
	}
	slices.Sort(seen)
	return seen
}

func TestEveryModelRunsEveryTask(t *testing.T) {
	const notation = "6*cpu(3ms), 4*[io(5ms) cpu(1ms) io(2ms)], 3*http(5ms)"
	lanes := map[experiment.Model][]string{
		experiment.Serial:  {"main"},
		experiment.Threads: {"T1", "T2", "T3"},
		experiment.GIL:     {"T1", "T2", "T3"},
		experiment.Asyncio: {"loop"},
	}
	for _, model := range inProcessModels {
		t.Run(string(model), func(t *testing.T) {
			spec := experiment.Spec{Model: model, Tasks: parse(t, notation)}
			if model == experiment.Threads || model == experiment.GIL {
				spec.Workers = 3
			}
			tr := record(t, spec)
			checkTrace(t, tr, 13)
			if got := laneNames(tr); !slices.Equal(got, lanes[model]) {
				t.Errorf("lanes %v, want %v", got, lanes[model])
			}
			if got := tasksSeen(tr); len(got) != 13 || got[0] != 0 || got[12] != 12 {
				t.Errorf("tasks on the lanes: %v, want 0 to 12", got)
			}
		})
	}
}

func TestInvalidSpecIsNotRun(t *testing.T) {
	spec := experiment.Spec{Model: experiment.Asyncio, Workers: 2, Tasks: parse(t, "2*io(1ms)")}
	rec := timeline.NewRecorder(spec.Meta())
	err := New().Run(context.Background(), spec, rec)
	var fe *experiment.FieldError
	if !errors.As(err, &fe) || fe.Field != "workers" {
		t.Fatalf("Run with 2 asyncio workers: %v, want a workers error", err)
	}
	if lanes := rec.Snapshot().Lanes; len(lanes) != 0 {
		t.Errorf("an invalid spec made %d lanes", len(lanes))
	}
}

// TestCancelStopsPromptly cancels runs of long CPU, I/O and GIL waits midway: Run must
// return the context's error soon after, leaving no goroutine behind.
func TestCancelStopsPromptly(t *testing.T) {
	cases := []struct {
		model experiment.Model
		tasks string
	}{
		{experiment.Serial, "4*cpu(1s)"},
		{experiment.Threads, "4*cpu(1s)"},
		{experiment.GIL, "4*cpu(1s)"},
		{experiment.GIL, "4*[cpu(10ms) io(1s)]"},
		{experiment.Asyncio, "cpu(1s), 100*io(1s)"},
		{experiment.Asyncio, "20*http(1s)"},
		{experiment.Threads, "2*http(1s)"},
	}
	for _, c := range cases {
		t.Run(string(c.model)+"/"+c.tasks, func(t *testing.T) {
			before := runtime.NumGoroutine()
			spec := experiment.Spec{Model: c.model, Tasks: parse(t, c.tasks)}
			if c.model == experiment.GIL {
				spec.SwitchInterval = time.Second // the longest wait a thread can be in
			}
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(100*time.Millisecond, cancel)
			rec := timeline.NewRecorder(spec.Meta())
			start := time.Now()
			err := New().Run(ctx, spec, rec)
			took := time.Since(start)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Run returned %v, want context.Canceled", err)
			}
			// Loose: the work left was seconds; stopping takes a slice plus a few wake-ups.
			if took > time.Second {
				t.Errorf("Run took %v to return after being cancelled at 100ms", took)
			}
			for _, l := range rec.Snapshot().Lanes {
				if n := len(l.Events); n > 0 && l.Events[n-1].State != timeline.Off {
					t.Errorf("lane %s ends %v after cancelling, want off", l.Name, l.Events[n-1].State)
				}
			}
			waitForGoroutines(t, before)
		})
	}
}

// waitForGoroutines fails unless the goroutine count falls back to at most want: the
// loopback server's connections take a moment to close after Run returns.
func waitForGoroutines(t *testing.T, want int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > want {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines left, had %d before the run:\n%s", runtime.NumGoroutine(), want, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestAlreadyCancelledRunsNothing(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	spec := experiment.Spec{Model: experiment.Threads, Tasks: parse(t, "4*cpu(10ms)")}
	rec := timeline.NewRecorder(spec.Meta())
	if err := New().Run(ctx, spec, rec); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want context.Canceled", err)
	}
	if tr := rec.Snapshot(); tr.TasksDone != 0 {
		t.Errorf("a cancelled run did %d tasks", tr.TasksDone)
	}
}

// TestCoresPinsEveryThread runs every in-process model on one core: every event of
// every lane must be on the same core.
func TestCoresPinsEveryThread(t *testing.T) {
	if !PerCoreAttribution {
		t.Skip("no per-core attribution on this OS")
	}
	for _, model := range inProcessModels {
		t.Run(string(model), func(t *testing.T) {
			spec := experiment.Spec{Model: model, Cores: 1, Tasks: parse(t, "4*[cpu(10ms) io(1ms)]")}
			if model == experiment.Threads || model == experiment.GIL {
				spec.Workers = 2
			}
			tr := record(t, spec)
			checkTrace(t, tr, 4)
			if cpus := tr.CPUs(); len(cpus) != 1 || cpus[0] != procwatch.UsableCPUs()[0] {
				t.Errorf("cores: 1 ran on cores %v, want only %d", cpus, procwatch.UsableCPUs()[0])
			}
		})
	}
}
