package pools

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/procwatch"
	"github.com/coreography/coreography/internal/timeline"
)

// startLong starts a long processes run in the background and waits until both
// workers are computing; it returns their pids and the run's outcome.
func startLong(t *testing.T, ctx context.Context, spec experiment.Spec) (*timeline.Recorder, []int32, <-chan error) {
	t.Helper()
	spec.Model = experiment.Processes
	rec := timeline.NewRecorder(spec.Meta())
	done := make(chan error, 1)
	go func() { done <- runProcesses(ctx, spec, rec) }()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var pids []int32
		for _, l := range rec.Snapshot().Lanes {
			for _, e := range l.Events {
				if e.State == timeline.Running {
					pids = append(pids, e.PID)
					break
				}
			}
		}
		if len(pids) == spec.Workers {
			return rec, pids, done
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("workers did not start computing within 10s")
	return nil, nil, nil
}

func processGone(pid int32) bool {
	return errors.Is(syscall.Kill(int(pid), 0), syscall.ESRCH)
}

func TestProcessesKilledWorkerEndsTheRun(t *testing.T) {
	spec := experiment.Spec{Workers: 2, ChunkSize: 1, Tasks: mustTasks(t, "100*cpu(50ms)")}
	_, pids, done := startLong(t, context.Background(), spec)
	victim := pids[1]
	if err := syscall.Kill(int(victim), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	select {
	case err := <-done:
		want := fmt.Sprintf("(pid %d) died: signal: killed", victim)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "processes: worker ") {
			t.Fatalf("error %v, want one naming the worker: %q", err, want)
		}
		t.Logf("%v after the kill: %v", time.Since(killed).Round(time.Millisecond), err)
	case <-time.After(5 * time.Second):
		t.Fatal("the run went on for 5s after a worker was killed")
	}
	for _, pid := range pids {
		if !processGone(pid) {
			t.Errorf("worker pid %d outlived the run", pid)
		}
	}
}

func TestProcessesCancelKillsEveryWorker(t *testing.T) {
	for _, fresh := range []bool{false, true} {
		t.Run(fmt.Sprintf("fresh=%v", fresh), func(t *testing.T) {
			before := runtime.NumGoroutine()
			ctx, cancel := context.WithCancel(context.Background())
			spec := experiment.Spec{Workers: 2, Fresh: fresh, Tasks: mustTasks(t, "40*cpu(200ms)")}
			rec, pids, done := startLong(t, ctx, spec)
			cancel()
			cancelled := time.Now()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("error %v, want context.Canceled", err)
				}
				if d := time.Since(cancelled); d > time.Second {
					t.Errorf("took %v to return after cancel", d)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("still running 5s after cancel")
			}
			for _, pid := range pids {
				if !processGone(pid) {
					t.Errorf("worker pid %d outlived the run", pid)
				}
			}
			for _, l := range rec.Snapshot().Lanes {
				if last := l.Events[len(l.Events)-1]; last.State != timeline.Off {
					t.Errorf("lane %q ends %v after cancel, not off", l.Name, last.State)
				}
			}
			// Goroutines wind down just after Run returns; allow them a moment.
			deadline := time.Now().Add(2 * time.Second)
			for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if n := runtime.NumGoroutine(); n > before {
				t.Errorf("%d goroutines before the run, %d after", before, n)
			}
		})
	}
}

func TestProcessesOnOneCore(t *testing.T) {
	if len(procwatch.UsableCPUs()) < 2 {
		t.Skip("needs 2 cores to tell pinning from having one")
	}
	spec := experiment.Spec{Workers: 2, Cores: 1, ChunkSize: 1, Tasks: mustTasks(t, "6*cpu(20ms)")}
	tr, err := runProcessesSpec(t, context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	cores := map[int16]int{}
	for _, l := range tr.Lanes {
		for _, e := range l.Events {
			if e.CPU != timeline.NoCPU {
				cores[e.CPU]++
			}
		}
	}
	if len(cores) != 1 {
		t.Errorf("workers pinned to 1 core recorded events on cores %v", cores)
	}
	if s := timeline.Compute(tr); len(s.PerCore) != 1 {
		t.Errorf("per-core stats on one core: %v", s.PerCore)
	}
}

func TestProcessesFetchFromTheAppsServer(t *testing.T) {
	spec := experiment.Spec{Workers: 2, Tasks: mustTasks(t, "6*http(20ms)")}
	tr, err := runProcessesSpec(t, context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	if tr.TasksDone != 6 {
		t.Errorf("TasksDone = %d", tr.TasksDone)
	}
	io := time.Duration(0)
	for _, l := range tr.Lanes {
		l.Spans(tr.Begin, tr.End, func(s timeline.Span) bool {
			if s.State == timeline.IO {
				io += time.Duration(s.Duration())
			}
			return true
		})
	}
	if io < 100*time.Millisecond {
		t.Errorf("workers waited %v on 6 fetches of 20ms", io)
	}
}

// A program that is not a worker is stopped with an error that says so, and what it
// wrote to stderr is part of the error.
func TestProcessesRefuseAChildThatIsNotAWorker(t *testing.T) {
	spec := experiment.Spec{Model: experiment.Processes, Workers: 1, Tasks: mustTasks(t, "2*cpu(1ms)")}
	for _, tc := range []struct{ exe, want string }{
		{"/bin/echo", "does not speak the worker protocol"},
		{"/bin/sleep", "died while starting: exit status 1\n  its stderr ended with:\n    "},
	} {
		if _, err := os.Stat(tc.exe); err != nil {
			t.Skip(err)
		}
		rec := timeline.NewRecorder(spec.Meta())
		err := runWorkersOf(context.Background(), tc.exe, spec, rec)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "processes: worker 1 (pid ") {
			t.Errorf("%s as a worker: error %v, want one containing %q", tc.exe, err, tc.want)
		}
		t.Logf("%s: %v", tc.exe, err)
	}
}

func TestSpawnCostReapsWhatItStarts(t *testing.T) {
	before := runtime.NumGoroutine()
	cost, err := SpawnCost(3)
	if err != nil {
		t.Fatal(err)
	}
	// A fork and exec: more than nothing, far less than a worker's whole start-up.
	if cost <= 0 || cost > time.Second {
		t.Errorf("spawn cost %v, want between 0 and 1s", cost)
	}
	tasks, _ := os.ReadDir("/proc/self/task")
	for _, task := range tasks {
		if kids, _ := os.ReadFile("/proc/self/task/" + task.Name() + "/children"); len(strings.TrimSpace(string(kids))) > 0 {
			t.Errorf("children left running: %s", kids)
		}
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines before, %d after", before, n)
	}
}
