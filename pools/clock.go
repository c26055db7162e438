package pools

import (
	"math"
	"os"
	"sync/atomic"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/pools/cpython"
)

// clockTolerance is how far a quick probe of this machine's speed may be from the
// calibration in use before both cpu(d) calibrations, Go's and CPython's, are made
// again together: on a shared VM a core's speed drifts by a tenth and more within
// minutes, and cpu(d) that took 110 ms would move every figure a lesson judges.
const clockTolerance = 0.10

// recalibrated is a calibration made in this process because the clock moved; it
// replaces the cached one for the rest of the program.
var recalibrated atomic.Pointer[Calibration]

// checkClock probes this machine's speed now (well under a millisecond of work) and,
// when it disagrees with the calibration in use by more than clockTolerance, measures
// Go's calibration again and has CPython's measured again at its next run, so both
// are of one sitting. Worker subprocesses and runs from $COREOGRAPHY_NS_PER_ITER keep
// the calibration they were handed.
func checkClock() timeline.ClockProbe {
	cal := CurrentCalibration()
	probe := timeline.ClockProbe{CachedNsPerIter: cal.NsPerIter, NsPerIter: quickNsPerIter()}
	if os.Getenv(CalibrationEnv) != "" || math.Abs(probe.NsPerIter/cal.NsPerIter-1) <= clockTolerance {
		return probe
	}
	fresh := Calibrate()
	writeCalibration(fresh)
	recalibrated.Store(&fresh)
	cpython.Recalibrate()
	probe.Recalibrated, probe.NewNsPerIter = true, fresh.NsPerIter
	return probe
}
