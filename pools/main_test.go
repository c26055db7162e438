package pools

import (
	"os"
	"testing"
)

// TestMain lets the test binary be a process-pool worker: runProcesses re-executes
// os.Executable(), which under go test is this binary.
func TestMain(m *testing.M) {
	if IsWorker() {
		os.Exit(WorkerMain())
	}
	// Under -race every process sleeps a second on exit (atexit_sleep_ms) so the race
	// detector can flush reports; the workers this binary starts need not.
	if _, set := os.LookupEnv("GORACE"); !set {
		os.Setenv("GORACE", "atexit_sleep_ms=0")
	}
	os.Exit(m.Run())
}
