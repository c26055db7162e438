package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/coreography/coreography/pools"
)

// TestMain lets the test binary serve as a process-pool worker, as the app does.
func TestMain(m *testing.M) {
	if pools.IsWorker() {
		os.Exit(pools.WorkerMain())
	}
	os.Exit(m.Run())
}

// TestCommandLine runs the commands in-process: exit statuses, and errors as one plain
// line per problem that names the flag as it is spelled.
func TestCommandLine(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	for _, tc := range []struct {
		args    []string
		code    int
		stdout  string // a substring; "" for none expected
		stderr  string // a substring of the single error line
		stderrN int    // lines on stderr
	}{
		{[]string{"run", "--model", "gil", "--tasks", "8*cpu(100xs)"}, 2, "", `coreography: --tasks "8*cpu(100xs)": col 10: expected a unit`, 1},
		{[]string{"run", "--model", "fibers", "--tasks", "cpu(1ms)"}, 2, "", `--model: unknown model "fibers"`, 1},
		{[]string{"run", "--workers", "x", "--tasks", "cpu(1ms)"}, 2, "", `invalid argument "x" for "--workers"`, 1},
		{[]string{"run", "--model", "threads", "--workers", "999", "--tasks", "cpu(1ms)"}, 2, "", "--workers: at most 256 threads, got 999", 1},
		{[]string{"run", "--model", "gil"}, 2, "", `required flag(s) "tasks" not set`, 1},
		{[]string{"frob"}, 2, "", `unknown command "frob"`, 1},
		{[]string{"run", "--model", "serial", "--tasks", "2*cpu(1ms)"}, 0, "speedup", "", 0},
		{[]string{"list"}, 0, "true-multicore", "", 0},
	} {
		var out, errOut bytes.Buffer
		code := execute(context.Background(), tc.args, &out, &errOut)
		lines := strings.Split(strings.TrimRight(errOut.String(), "\n"), "\n")
		if errOut.Len() == 0 {
			lines = nil
		}
		switch {
		case code != tc.code:
			t.Errorf("%v: exit %d, want %d; stderr %q", tc.args, code, tc.code, errOut.String())
		case !strings.Contains(out.String(), tc.stdout):
			t.Errorf("%v: stdout %q lacks %q", tc.args, out.String(), tc.stdout)
		case len(lines) != tc.stderrN || !strings.Contains(errOut.String(), tc.stderr):
			t.Errorf("%v: stderr %q, want %d line(s) containing %q", tc.args, errOut.String(), tc.stderrN, tc.stderr)
		}
	}
}

func TestRunJSONHasTheIssuesFields(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	var out, errOut bytes.Buffer
	code := execute(context.Background(), []string{"run", "--model", "processes", "--workers", "2", "--tasks", "4*cpu(1ms) in=1KB", "--json"}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out.String())
	}
	for _, k := range strings.Fields("model workers cores tasks_done wall_s cpu_s parallelism ideal_serial_s speedup gil_switches gil_switches_per_s gil_wait_s ipc_bytes ipc_s startup_s per_core") {
		if _, ok := got[k]; !ok {
			t.Errorf("--json lacks %q", k)
		}
	}
	if got["tasks_done"] != 4.0 || got["ipc_bytes"].(float64) < 4*1024 {
		t.Errorf("tasks_done %v ipc_bytes %v: want 4 tasks and at least their 4 KB of payload", got["tasks_done"], got["ipc_bytes"])
	}
}
