//go:build unix && !linux

package panel

import (
	"time"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
)

// rusageMeter is the fallback where threads cannot be read one by one: this
// process's CPU time less what its worker threads' clocks say they used. Worker
// subprocesses are children and not counted: the observer's cost is the app's own.
type rusageMeter struct{}

func newObserverMeter() common.CPUMeter { return rusageMeter{} }

func (rusageMeter) Read(traces []*timeline.Trace) (time.Duration, bool) {
	cpu, ok := timeline.ProcessCPU()
	if !ok {
		return 0, false
	}
	return cpu - inProcessWorkerCPU(traces), true
}
