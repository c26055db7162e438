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
	os.Exit(m.Run())
}
