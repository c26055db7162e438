//go:build unix && !linux

package panel

import (
	"time"

	"golang.org/x/sys/unix"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
)

// rusageMeter is the fallback where threads cannot be read one by one: this
// process's CPU time less what its worker threads' clocks say they used. Worker
// subprocesses are children and not counted: the observer's cost is the app's own.
type rusageMeter struct{}

func newObserverMeter() common.CPUMeter { return rusageMeter{} }

func (rusageMeter) Read(traces []*timeline.Trace) (time.Duration, bool) {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano()+ru.Stime.Nano()) - inProcessWorkerCPU(traces), true
}
