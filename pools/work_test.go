package pools

import (
	"runtime"
	"testing"
	"time"

	"github.com/coreography/coreography/timeline"
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
