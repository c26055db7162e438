package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// A run is disturbed when it lost time to others, not when others were busy: a
// serial run pinned to one core beside a busy loop pinned to the other core lost
// nothing, and the same run with the loop on its own core lost about half its time.
//
// Both the run and the loop are pinned with taskset. As root, both run at the
// highest priority, so the other programs on a shared machine can hardly take the
// run's core and the loop is the only thing that can; otherwise a beside-run that was
// disturbed anyway (lost to someone else than the loop) is tried again, and the test
// skips, saying so, when the machine never left the run alone.
func TestDisturbedMeansTheRunLostTime(t *testing.T) {
	requireBinary(t)
	cores := allowedCores(t)
	if len(cores) < 2 {
		t.Skipf("needs 2 cores to pin a run and a busy loop apart; this process may use %v", cores)
	}
	if _, err := exec.LookPath("taskset"); err != nil {
		t.Skip("needs taskset (util-linux) to pin the run and the busy loop")
	}
	// As root: a session of its own (the kernel weighs sessions against each other
	// before the threads in them: autogroup) at the highest priority, for the run
	// and for the loop alike.
	prio := []string{}
	if os.Geteuid() == 0 {
		if _, err := exec.LookPath("setsid"); err == nil {
			prio = []string{"setsid", "sh", "-c", `echo -20 >/proc/self/autogroup 2>/dev/null; exec nice -n -20 "$@"`, "sh"}
		}
	}
	env := scratchEnv(t)
	own, other := strconv.Itoa(cores[0]), strconv.Itoa(cores[1])

	var beside map[string]any
	for try := 1; try <= 4; try++ {
		beside = runBesideLoop(t, prio, env, own, other)
		if beside["disturbed"] == false {
			break
		}
		t.Logf("try %d beside a loop on core %s: lost %.0f ms (queue %.0f ms), others took %.0f ms on core %s",
			try, other, ms(beside["lost_s"]), ms(beside["lost_queue_s"]), ms(beside["others_cpu_s"]), own)
	}
	if beside["disturbed"] != false {
		if len(prio) == 0 {
			t.Skip("other programs kept taking the run's own core, so a quiet run could not be made; run as root to pin above them")
		}
		t.Errorf("a serial run on core %s beside a busy loop on core %s: disturbed %v (lost %.0f ms), want false",
			own, other, beside["disturbed"], ms(beside["lost_s"]))
	}

	t.Logf("beside a loop on core %s: wall %.0f ms, lost %.0f ms, others took %.0f ms on core %s",
		other, ms(beside["wall_s"]), ms(beside["lost_s"]), ms(beside["others_cpu_s"]), own)
	same := runBesideLoop(t, prio, env, own, own)
	t.Logf("with the loop on its own core %s: wall %.0f ms, lost %.0f ms (queue %.0f ms)",
		own, ms(same["wall_s"]), ms(same["lost_s"]), ms(same["lost_queue_s"]))
	if same["disturbed"] != true {
		t.Errorf("a serial run sharing core %s with a busy loop: disturbed %v (lost %.0f ms of %.0f ms wall, queue %.0f ms), want true",
			own, same["disturbed"], ms(same["lost_s"]), ms(same["wall_s"]), ms(same["lost_queue_s"]))
	}
	if q := ms(same["lost_queue_s"]); q < 0.25*ms(same["wall_s"]) {
		t.Errorf("sharing its core with a busy loop, the run waited %.0f ms for it in %.0f ms: want about half", q, ms(same["wall_s"]))
	}
}

// runBesideLoop runs the Done-when command pinned to core own, with a busy loop
// pinned to core loop for as long as it runs, and returns its --json.
func runBesideLoop(t *testing.T, prio, env []string, own, loop string) map[string]any {
	t.Helper()
	args := append(append([]string{}, prio...), "taskset", "-c", loop, "sh", "-c", "while :; do :; done")
	busy := exec.Command(args[0], args[1:]...)
	// Every wrapper execs the next (setsid does not fork when its caller leads no
	// process group), so the process started is the loop itself.
	if err := busy.Start(); err != nil {
		t.Fatalf("starting the busy loop: %v", err)
	}
	defer func() {
		busy.Process.Kill()
		busy.Wait()
	}()
	time.Sleep(100 * time.Millisecond) // the loop is spinning before the run starts
	args = append(append([]string{}, prio...), "taskset", "-c", own, binary,
		"run", "--model", "serial", "--cores", "1", "--tasks", "4*cpu(100ms)", "--json")
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
	var got map[string]any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if _, ok := got["lost_s"]; !ok {
		t.Fatalf("--json has no lost_s: %s", out)
	}
	return got
}

func allowedCores(t *testing.T) []int {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil {
		t.Skipf("cannot read this process's cores: %v", err)
	}
	var cores []int
	for c := range 1024 {
		if set.IsSet(c) {
			cores = append(cores, c)
		}
	}
	return cores
}

// scratchEnv keeps the run's calibration and state out of the machine's home.
func scratchEnv(t *testing.T) []string {
	dir := t.TempDir()
	return append(os.Environ(), "XDG_CACHE_HOME="+dir+"/cache", "XDG_CONFIG_HOME="+dir+"/config",
		"XDG_STATE_HOME="+dir+"/state", "NO_COLOR=1")
}

func ms(v any) float64 {
	f, _ := v.(float64)
	return 1000 * f
}

func requireBinary(t *testing.T) {
	if binary == "" {
		t.Skip("the binary was not built (no tmux): see TestMain")
	}
}
