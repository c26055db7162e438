package cpython

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// groupLeft lists the processes still in process group pgid.
func groupLeft(pgid int) []int {
	var left []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if g, err := syscall.Getpgid(pid); err == nil && g == pgid {
			if data, _ := os.ReadFile("/proc/" + e.Name() + "/stat"); !strings.Contains(string(data), ") Z ") {
				left = append(left, pid)
			}
		}
	}
	return left
}

// Cancelling a run (Ctrl-C, q) ends the whole Python tree, pool workers included,
// whichever way they were started.
func TestCancelEndsTheTree(t *testing.T) {
	needPython(t)
	for _, method := range []string{"fork", "spawn", "forkserver"} {
		t.Run(method, func(t *testing.T) {
			s := spec(t, experiment.PyProcesses, 2, "40*cpu(200ms)")
			s.StartMethod = method
			ctx, cancel := context.WithCancel(context.Background())
			var pid atomic.Int64
			started = func(p int) { pid.Store(int64(p)) }
			defer func() { started = func(int) {} }()
			rec := timeline.NewRecorder(s.Meta())
			go func() {
				// Cancel once the workers are computing.
				for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
					if len(groupLeft(int(pid.Load()))) >= 3 && rec.Snapshot().TasksDone >= 1 {
						break
					}
				}
				cancel()
			}()
			err := Run(ctx, s, rec, "")
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err %v, want cancelled", err)
			}
			if left := groupLeft(int(pid.Load())); len(left) > 0 {
				t.Fatalf("processes left in the run's group: %v", left)
			}
		})
	}
}

// TestMain lets the test binary play the app in TestKilledAppEndsTheTree.
func TestMain(m *testing.M) {
	if method := os.Getenv("COREOGRAPHY_TEST_APP"); method != "" {
		s := experiment.Spec{Model: experiment.PyProcesses, Workers: 2, StartMethod: method}
		s.Tasks, _ = experiment.ParseTasks("40*cpu(200ms)")
		started = func(pid int) { os.Stdout.WriteString(strconv.Itoa(pid) + "\n") }
		Run(context.Background(), s, timeline.NewRecorder(s.Meta()), "")
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// kill -9 of the app ends the Python tree too: the driver by Pdeathsig, its pool
// workers by their own (set by the driver in each worker).
func TestKilledAppEndsTheTree(t *testing.T) {
	needPython(t)
	for _, method := range []string{"fork", "forkserver"} {
		t.Run(method, func(t *testing.T) {
			app := exec.Command(os.Args[0], "-test.run=^$")
			app.Env = append(os.Environ(), "COREOGRAPHY_TEST_APP="+method)
			out, _ := app.StdoutPipe()
			if err := app.Start(); err != nil {
				t.Fatal(err)
			}
			var pid int
			if _, err := fmt.Fscan(out, &pid); err != nil {
				app.Process.Kill()
				t.Fatal(err)
			}
			// One reading decides: the group's count can fall back for a moment, as
			// forkserver's helpers come and go while the pool starts.
			n := 0
			for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
				if n = len(groupLeft(pid)); n >= 3 || time.Now().After(deadline) {
					break
				}
			}
			if n < 3 {
				t.Fatalf("only %d processes in the run's group", n)
			}
			app.Process.Signal(syscall.SIGKILL)
			app.Wait()
			for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				if len(groupLeft(pid)) == 0 {
					return
				}
			}
			t.Fatalf("3 s after the app was killed, processes of its run are left: %v", groupLeft(pid))
		})
	}
}
