package pools

import (
	"os"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/experiment"
)

// TestMain lets the test binary be a process-pool worker: runProcesses re-executes
// os.Executable(), which under go test is this binary.
func TestMain(m *testing.M) {
	if IsWorker() {
		startSlowlyIfFirst()
		os.Exit(WorkerMain())
	}
	// Under -race every process sleeps a second on exit (atexit_sleep_ms) so the race
	// detector can flush reports; the workers this binary starts need not.
	if _, set := os.LookupEnv("GORACE"); !set {
		os.Setenv("GORACE", "atexit_sleep_ms=0")
	}
	// As the command line does: the engines' planned work counts add(N) at this
	// machine's increment cost.
	experiment.SetIncrementCost(IncrementCost)
	os.Exit(m.Run())
}

// slowStartEnv names a file: the first worker to create it starts 300 ms late, as a
// worker the machine was slow to schedule would.
const slowStartEnv = "COREOGRAPHY_TEST_SLOW_START"

func startSlowlyIfFirst() {
	if path := os.Getenv(slowStartEnv); path != "" {
		if f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600); err == nil {
			f.Close()
			time.Sleep(300 * time.Millisecond)
		}
	}
}
