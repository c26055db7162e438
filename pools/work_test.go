package pools

import (
	"errors"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/timeline"
)

// discard is a sink for tests that only care about timing.
type discard struct{}

func (discard) Append(timeline.Event) {}

func TestComputeTakesCalibratedCPUTime(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	p := newProbe(discard{})
	before := threadCPUTime()
	compute(50*time.Millisecond, p, nil)
	used := time.Duration(threadCPUTime() - before)
	if before < 0 {
		t.Skip("no thread CPU clock on this OS")
	}
	// The machine drifts 30-50 %; calibrated work must land in the right ballpark, not on the dot.
	if used < 25*time.Millisecond || used > 150*time.Millisecond {
		t.Fatalf("cpu(50ms) used %v of CPU", used)
	}
}

// A cached calibration that is implausible, or far from a quick measurement, is not
// used (issue 7: 1e-9 made cpu(1ms) never end; 1e300 gave "speedup 13636").
func TestHostile10CalibrationCacheChecked(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	os.MkdirAll(os.Getenv("XDG_CACHE_HOME")+"/coreography", 0o700)
	for _, v := range []string{"1e-9", "1e300", "0", "-1", "NaN"} {
		path := os.Getenv("XDG_CACHE_HOME") + "/coreography/" + calibrationFile
		os.WriteFile(path, []byte(`{"ns_per_iter": `+v+`, "goarch": "`+runtime.GOARCH+`"}`), 0o600)
		if c, ok := readCalibration(); ok {
			t.Errorf("ns_per_iter %s accepted as %v", v, c)
		}
	}
	quick := quickNsPerIter()
	if !plausible(quick) {
		t.Fatalf("this machine measures %v ns per step, outside the plausible range", quick)
	}
	// Issue 28 #10: trusted within 25 %, not 4×.
	if !agrees(quick*1.2, quick) || !agrees(quick/1.2, quick) || agrees(quick*1.3, quick) || agrees(quick/1.3, quick) || agrees(quick*3.9, quick) {
		t.Errorf("agrees is off around a quick measurement of %v ns", quick)
	}
}

// compute notices cancellation within a slice even when the calibration claims an
// absurdly fast machine.
func TestComputeCancellableWhateverTheCalibration(t *testing.T) {
	stop := errors.New("stop")
	start := time.Now()
	calls := 0
	err := compute(time.Hour, newProbe(discard{}), func() error {
		calls++
		if calls == 3 {
			return stop
		}
		return nil
	})
	if err != stop || time.Since(start) > 5*time.Second {
		t.Errorf("compute(1h) with a check that stops: err %v after %s", err, time.Since(start))
	}
}
