package pools

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

func childPIDs(t *testing.T) []int {
	out, _ := exec.Command("pgrep", "-P", strconv.Itoa(os.Getpid())).Output()
	var pids []int
	for _, f := range strings.Fields(string(out)) {
		if pid, err := strconv.Atoi(f); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

// kill -STOP of one worker ends the run with an error naming that worker's pid, and
// no worker is left (issue 7: the app waited 2 min 20 s with no word).
func TestStoppedWorkerEndsTheRun(t *testing.T) {
	if _, err := exec.LookPath("pgrep"); err != nil {
		t.Skip("pgrep is not installed")
	}
	was := stallBase.Swap(int64(time.Second))
	defer stallBase.Store(was)
	ts, _ := experiment.ParseTasks("16*cpu(300ms)")
	spec := experiment.Spec{Model: experiment.Processes, Workers: 2, Tasks: ts}
	errc := make(chan error, 1)
	go func() { errc <- New().Run(context.Background(), spec, timeline.NewRecorder(spec.Meta())) }()
	var victim int
	for deadline := time.Now().Add(20 * time.Second); victim == 0 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if pids := childPIDs(t); len(pids) == 2 {
			victim = pids[0]
		}
	}
	if victim == 0 {
		t.Fatal("the workers did not start")
	}
	time.Sleep(200 * time.Millisecond)
	syscall.Kill(victim, syscall.SIGSTOP)
	stopped := time.Now()
	select {
	case err := <-errc:
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("(pid %d) (stopped by a signal) made no progress", victim)) {
			t.Errorf("err = %v, want it to name the stopped worker, pid %d", err, victim)
		}
		t.Logf("ended %s after the stop: %v", time.Since(stopped).Round(time.Millisecond), err)
	case <-time.After(60 * time.Second):
		syscall.Kill(victim, syscall.SIGKILL)
		t.Fatal("the run did not end 60 s after a worker was stopped")
	}
	if pids := childPIDs(t); len(pids) > 0 {
		t.Errorf("workers left: %v", pids)
	}
}
