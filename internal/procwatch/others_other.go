//go:build !linux

package procwatch

import (
	"time"

	"github.com/coreography/coreography/internal/timeline"
)

// WatchOthers has no per-core busy counters to read outside Linux, so what other
// programs took from a run stays unknown: the run is recorded without it, and says so.
func WatchOthers(int, func() time.Duration) (stop func() (timeline.Others, bool)) {
	return func() (timeline.Others, bool) { return timeline.Others{}, false }
}

// UsableCPUs lists nothing: which cores a process may use is read on Linux only.
func UsableCPUs() []int { return nil }
