package pools

import (
	"encoding/json"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coreography/coreography/internal/safefile"
)

// spin is the CPU work behind cpu(d): a xorshift chain, each step depending on the
// last, so the compiler cannot skip it and the CPU cannot run ahead.
func spin(n int, x uint64) uint64 {
	for range n {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	return x
}

// sliceNs is how much work runs between checks for a GIL drop request and clock
// samples: fine enough for a 5 ms switch interval to land within 1 %, coarse enough
// that checking costs nothing measurable.
const sliceNs = 10_000

// Calibration is how fast this machine runs spin on one idle core.
type Calibration struct {
	NsPerIter float64 `json:"ns_per_iter"`
	When      string  `json:"when"`
	GOARCH    string  `json:"goarch"`
}

// CalibrationEnv carries the parent's calibration to worker subprocesses, so every
// process does the same work for cpu(d) and none recalibrates.
const CalibrationEnv = "COREOGRAPHY_NS_PER_ITER"

var calibration = sync.OnceValue(func() Calibration {
	if v, err := strconv.ParseFloat(os.Getenv(CalibrationEnv), 64); err == nil && plausible(v) {
		return Calibration{NsPerIter: v, GOARCH: runtime.GOARCH}
	}
	if c, ok := readCalibration(); ok && agrees(c.NsPerIter, quickNsPerIter()) {
		return c
	}
	c := Calibrate()
	writeCalibration(c)
	return c
})

// CurrentCalibration is the calibration in use: from $COREOGRAPHY_NS_PER_ITER, the
// cache, or measured now (about 50 ms, once per machine).
func CurrentCalibration() Calibration {
	if c := recalibrated.Load(); c != nil { // the clock moved since (checkClock)
		return *c
	}
	return calibration()
}

// Calibrate measures spin on the calling thread: the fastest of several short runs,
// which is what the work takes on an idle core.
func Calibrate() Calibration {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	const n = 1 << 18
	best := time.Duration(1<<63 - 1)
	deadline := time.Now().Add(60 * time.Millisecond)
	for i := 0; i < 5 || time.Now().Before(deadline); i++ {
		start := time.Now()
		sinkValue.Add(spin(n, uint64(i)|1))
		best = min(best, time.Since(start))
	}
	return Calibration{NsPerIter: float64(best) / n, When: time.Now().UTC().Format(time.RFC3339), GOARCH: runtime.GOARCH}
}

// sinkValue keeps spin's result alive so the work is never optimised away. It is
// atomic because workers on many threads compute at once.
var sinkValue atomic.Uint64

// calibrationFile is the cached calibration's name in the app's private cache
// directory (see safefile).
const calibrationFile = "calibration.json"

// A calibration outside these bounds is not this machine's: one xorshift step takes
// about a nanosecond on a laptop, a few on a slow board. 1e-9 made cpu(1ms) never end
// and 1e300 made every task take no time; both are refused.
const (
	minNsPerIter = 0.02
	maxNsPerIter = 1000
)

func plausible(nsPerIter float64) bool {
	return nsPerIter >= minNsPerIter && nsPerIter <= maxNsPerIter // false for NaN too
}

// quickNsPerIter is a rough measurement (the fastest of a few 64k-step runs, well
// under a millisecond) to check a cached calibration against.
func quickNsPerIter() float64 {
	const n = 1 << 16
	best := time.Duration(1<<63 - 1)
	for i := range 5 {
		start := time.Now()
		sinkValue.Add(spin(n, uint64(i)|1))
		best = min(best, time.Since(start))
	}
	return float64(max(best, 1)) / n
}

// trustWithin is how far a cached calibration may be from a quick measurement and
// still be used: a hand-edited or another machine's cache 4× off is caught, and so is
// one taken while the CPU ran at another frequency. Measuring again costs a tenth of
// a second.
const trustWithin = 1.25

// agrees reports whether a cached calibration is within trustWithin of a quick
// measurement, either way.
func agrees(cached, quick float64) bool {
	return cached <= quick*trustWithin && cached >= quick/trustWithin
}

func readCalibration() (Calibration, bool) {
	data, err := safefile.ReadFile(calibrationFile, 4096) // a few dozen bytes when it is ours
	if err != nil {
		return Calibration{}, false
	}
	var c Calibration
	if json.Unmarshal(data, &c) != nil || !plausible(c.NsPerIter) || c.GOARCH != runtime.GOARCH {
		return Calibration{}, false
	}
	return c, true
}

// writeCalibration saves c atomically, leaving no temporary file behind; failing to
// cache only costs a recalibration.
func writeCalibration(c Calibration) {
	data, _ := json.Marshal(c)
	safefile.WriteFile(calibrationFile, data, 0o600)
}

// compute does d of calibrated CPU work on the calling thread. Every slice it ticks
// the probe and calls check (nil for none): the GIL engine's check is where a thread
// notices a drop request and hands the lock over. An error from check abandons the
// work and is returned, so a cancelled run stops within a slice, not a whole task.
func compute(d time.Duration, p *probe, check func() error) error {
	c := CurrentCalibration()
	total := int(float64(d) / c.NsPerIter)
	// At most 2^20 steps between checks whatever the calibration says, so a run is
	// always cancellable within about a millisecond.
	slice := max(min(int(sliceNs/c.NsPerIter), 1<<20), 1)
	x := uint64(d) | 1
	for total > 0 {
		n := min(slice, total)
		x = spin(n, x)
		total -= n
		p.tick()
		if check != nil {
			if err := check(); err != nil {
				sinkValue.Add(x)
				return err
			}
		}
	}
	if d > 0 { // cpu(0) does no work to keep, and tiny tasks must not contend on sinkValue
		sinkValue.Add(x)
	}
	return nil
}
