//go:build !linux

package pools

import (
	"time"

	"github.com/coreography/coreography/internal/timeline"
)

// watchOthers has no per-core busy counters to read outside Linux, so what other
// programs took from a run stays unknown: the run is recorded without it, and says so.
func watchOthers(int, func() time.Duration) (stop func() (timeline.Others, bool)) {
	return func() (timeline.Others, bool) { return timeline.Others{}, false }
}
