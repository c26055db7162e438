package calibrate

import (
	"os"
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
