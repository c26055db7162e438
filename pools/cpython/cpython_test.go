package cpython

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/procwatch"
	"github.com/coreography/coreography/internal/timeline"
)

// needPython skips a test where no python3 is installed: CI machines without one still pass.
func needPython(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not on PATH: install it (apt install python3) to test the py-* models")
	}
}

func spec(t *testing.T, model experiment.Model, workers int, tasks string) experiment.Spec {
	t.Helper()
	ts, err := experiment.ParseTasks(tasks)
	if err != nil {
		t.Fatal(err)
	}
	s := experiment.Spec{Model: model, Workers: workers, Tasks: ts}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	return s
}

func run(t *testing.T, ctx context.Context, s experiment.Spec) (*timeline.Trace, error) {
	t.Helper()
	rec := timeline.NewRecorder(s.Meta())
	err := Run(ctx, s, rec, "")
	return rec.Snapshot(), err
}

// fakePython writes an executable shell script that answers the version query with
// version and runs body for the driver.
func fakePython(t *testing.T, version, body string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("fake interpreters are shell scripts")
	}
	path := filepath.Join(t.TempDir(), "python-fake")
	script := "#!/bin/sh\nif [ \"$1\" = -c ]; then echo 'coreography-version " + version + " fake'; exit 0; fi\n" + body + "\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestBadInterpreters(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	probeOK := `if [ "$2" = probe ]; then echo '{"version":"3.11.0","executable":"'"$0"'","iters_per_ns":0.05,"hash_bytes_per_ns":1,"gil":true,"start_methods":["fork"]}'; exit 0; fi`
	for _, tc := range []struct {
		name, python string
		setup        bool
		want         string
	}{
		{"missing", "no-such-python3.99", true, "need no-such-python3.99, and it was not found: install CPython 3.8"},
		{"too old", fakePython(t, "3 6", "exit 1"), true, "is Python 3.6, and py-* models need 3.8 or newer"},
		{"probe fails", fakePython(t, "3 11", "echo 'ImportError: no json' >&2; exit 1"), true, "the driver's probe failed: exit status 1: ImportError: no json"},
		{"crash mid-run", fakePython(t, "3 11", probeOK+"\nread line; echo 'R 1'; sleep 0.05; echo 'Fatal Python error: Segmentation fault' >&2; kill -SEGV $$"), false, "crashed mid-run (signal: segmentation fault): Fatal Python error: Segmentation fault"},
		{"start method", fakePython(t, "3 11", probeOK), true, "--start-method spawn: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := spec(t, experiment.PyProcesses, 2, "4*cpu(1ms)")
			s.Python = tc.python
			if tc.name == "start method" {
				s.StartMethod = "spawn"
			}
			_, err := run(t, context.Background(), s)
			if err == nil || !strings.Contains(err.Error(), tc.want) || IsSetupError(err) != tc.setup {
				t.Fatalf("err %v (setup error: %v); want %q (setup error: %v)", err, IsSetupError(err), tc.want, tc.setup)
			}
		})
	}
}

// Every model runs its tasks on the real interpreter, and its lanes say so.
func TestModelsRunOnCPython(t *testing.T) {
	needPython(t)
	for _, tc := range []struct {
		model   experiment.Model
		workers int
		tasks   string
		lane    string
	}{
		{experiment.PySerial, 1, "3*[cpu(5ms) io(5ms)]", "main"},
		{experiment.PyThreads, 2, "6*[cpu(5ms) io(5ms)]", "T2"},
		{experiment.PyProcesses, 2, "6*cpu(20ms) in=1KB out=1KB", "worker 1 · pid "},
		{experiment.PyPool, 2, "40*cpu(1ms)", "worker 1 · pid "},
		{experiment.PyAsyncio, 1, "20*io(20ms)", "loop"},
	} {
		t.Run(string(tc.model), func(t *testing.T) {
			tr, err := run(t, context.Background(), spec(t, tc.model, tc.workers, tc.tasks))
			if err != nil {
				t.Fatal(err)
			}
			if want := int64(tr.Tasks); tr.TasksDone != want {
				t.Errorf("%d tasks done, want %d", tr.TasksDone, want)
			}
			var names []string
			found := false
			for _, l := range tr.Lanes {
				names = append(names, l.Name)
				found = found || strings.HasPrefix(l.Name, tc.lane)
			}
			if !found {
				t.Errorf("no lane %q among %q", tc.lane, names)
			}
			if st := timeline.Compute(tr); st.CPU <= 0 || st.Wall <= 0 {
				t.Errorf("cpu %v wall %v", st.CPU, st.Wall)
			}
		})
	}
}

// On Linux the sampler draws threads waiting for the GIL, and counts its hand-offs.
func TestSamplerSeesTheGIL(t *testing.T) {
	needPython(t)
	if !procwatch.SamplerAvailable {
		t.Skip("the sampler reads /proc: Linux only")
	}
	tr, err := run(t, context.Background(), spec(t, experiment.PyThreads, 2, "4*cpu(50ms)"))
	if err != nil {
		t.Fatal(err)
	}
	st := timeline.Compute(tr)
	if st.GILWait <= 0 || st.GILSwitches == 0 || len(tr.CoreLanes()) == 0 || st.SamplerCPU <= 0 {
		t.Errorf("gil wait %v, switches %d, core lanes %d, sampler cpu %v", st.GILWait, st.GILSwitches, len(tr.CoreLanes()), st.SamplerCPU)
	}
}
