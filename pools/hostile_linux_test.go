package pools

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// Issue 28 #7: a --fresh worker replaced by a program that never answers, and whose
// child holds the worker's pipes, ends with its run's limit (here a deadline of
// 300 ms, as guardRun's), with every process it started gone and reaped.
func TestHostile07FreshWorkerThatNeverAnswers(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "child.pid")
	exe := filepath.Join(dir, "not-a-worker")
	os.WriteFile(exe, []byte("#!/bin/sh\nsleep 300 &\necho $! > "+pidFile+"\nsleep 300\n"), 0o755)
	spec := experiment.Spec{Model: experiment.Processes, Workers: 2, Fresh: true, Tasks: mustTasks(t, "4*cpu(1ms)")}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	runWorkersOf(ctx, exe, spec, timeline.NewRecorder(spec.Meta()))
	if took := time.Since(start); took > 300*time.Millisecond+3*time.Second {
		t.Errorf("the run ended %v after it started, its limit 300ms", took)
	}
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatalf("the script did not start its child: %v", err)
	}
	var child int
	for _, c := range strings.TrimSpace(string(data)) {
		child = child*10 + int(c-'0')
	}
	deadline := time.Now().Add(2 * time.Second)
	for syscall.Kill(child, 0) == nil && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if stat, err := os.ReadFile("/proc/" + string(data[:len(data)-1]) + "/stat"); err == nil && !strings.Contains(string(stat), ") Z ") {
		t.Errorf("the worker's child (pid %d) outlived the run: %s", child, stat)
	}
	tasks, _ := os.ReadDir("/proc/self/task")
	for _, task := range tasks {
		if kids, _ := os.ReadFile("/proc/self/task/" + task.Name() + "/children"); len(strings.TrimSpace(string(kids))) > 0 {
			t.Errorf("children left unreaped: %s", kids)
		}
	}
}
