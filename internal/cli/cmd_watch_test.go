package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// TestCPythonCommandLines: a missing command is exit 127 naming it; a missing
// interpreter is exit 2 naming it and saying how to install one.
func TestCPythonCommandLines(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	for _, tc := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"watch", "--json", "--", "no-such-command-here"}, 127, "watch: no-such-command-here: command not found"},
		{[]string{"run", "--model", "py-threads", "--python", "no-such-python", "--tasks", "cpu(1ms)"}, 2, "need no-such-python, and it was not found: install CPython"},
		{[]string{"run", "--model", "gil", "--start-method", "fork", "--tasks", "cpu(1ms)"}, 2, "--start-method: only py-processes and py-pool"},
		{[]string{"run", "--model", "py-processes", "--start-method", "vfork", "--tasks", "cpu(1ms)"}, 2, `unknown start method "vfork"`},
		{[]string{"run", "--model", "py-asyncio", "--workers", "2", "--tasks", "cpu(1ms)"}, 2, "py-asyncio runs on exactly 1 worker"},
	} {
		var out, errOut bytes.Buffer
		code := execute(context.Background(), tc.args, &out, &errOut)
		if code != tc.code || !strings.Contains(errOut.String(), tc.stderr) || strings.Count(errOut.String(), "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and one line with %q", tc.args, code, errOut.String(), tc.code, tc.stderr)
		}
	}
}

// TestNoPython3OnPath: with no python3 anywhere on PATH, a py-* run says so and exits 2.
func TestNoPython3OnPath(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	var out, errOut bytes.Buffer
	code := execute(context.Background(), []string{"run", "--model", "py-threads", "--workers", "2", "--tasks", "4*cpu(10ms)"}, &out, &errOut)
	if code != 2 || !strings.Contains(errOut.String(), "py-* models need python3, and it was not found") {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
}

// TestWatchJSON watches a real command's process tree: its exit status is watch's,
// its output goes to the log, and the JSON counts what was seen.
func TestWatchJSON(t *testing.T) {
	sh := shForWatch(t)
	log := t.TempDir() + "/watch.log"
	var out, errOut bytes.Buffer
	code := execute(context.Background(), []string{"watch", "--json", "--log", log, "--", sh, "-c", "echo hello; i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; (sleep 0.1) ; exit 3"}, &out, &errOut)
	if code != 3 {
		t.Fatalf("exit %d, want the command's 3; stderr %q", code, errOut.String())
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	if got["processes_seen"].(float64) < 1 || got["threads_seen"].(float64) < 1 || got["cpu_s"].(float64) <= 0 || got["sampler_cpu_s"].(float64) <= 0 {
		t.Errorf("figures: %v", got)
	}
	if data, _ := os.ReadFile(log); got["log"] != log || string(data) != "hello\n" {
		t.Errorf("log %v holds %q, want %s holding the command's hello", got["log"], data, log)
	}
}

// TestWatchStartsAtTheLastExec: a wrapper that spends a while and then replaces itself
// with the program (as a pyenv shim does) is start-up, left out of wall and CPU and
// reported as before_exec_s; a command that forks its work and waits keeps it all.
func TestWatchStartsAtTheLastExec(t *testing.T) {
	sh := shForWatch(t)
	spin := "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done"
	watch := func(script string) map[string]float64 {
		t.Helper()
		var out, errOut bytes.Buffer
		if code := execute(context.Background(), []string{"watch", "--json", "--log", t.TempDir() + "/log", "--", sh, "-c", script}, &out, &errOut); code != 0 {
			t.Fatalf("%q: exit %d: %s", script, code, errOut.String())
		}
		var got map[string]any
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("%v: %s", err, out.String())
		}
		figures := map[string]float64{}
		for _, k := range []string{"wall_s", "cpu_s", "before_exec_s"} {
			figures[k], _ = got[k].(float64)
		}
		return figures
	}
	wrapped := watch(spin + "; exec sleep 0.3")
	if wrapped["before_exec_s"] < 0.05 || wrapped["wall_s"] > 0.45 || wrapped["cpu_s"] > 0.05 {
		t.Errorf("a spinning wrapper that execs sleep 0.3: %v; want the spin before the exec left out", wrapped)
	}
	forked := watch(spin + "; sleep 0.3; :")
	if forked["before_exec_s"] != 0 || forked["wall_s"] < forked["cpu_s"]+0.25 || forked["cpu_s"] < 0.05 {
		t.Errorf("a shell that spins, then forks sleep 0.3: %v; want all of it counted", forked)
	}
}

// shForWatch is the path of sh for a watch test, which is skipped where watch cannot
// run (it samples /proc) or there is no sh.
func shForWatch(t *testing.T) string {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("watch samples /proc: Linux only")
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	return sh
}
