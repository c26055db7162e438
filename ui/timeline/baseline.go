package timeline

import (
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// shortestBaseline is the least wall time a measured one-worker run needs to stand as
// a speed-up's baseline: shorter, one preemption of the machine moves the ratio by
// as much as a verdict's margin, and the planned time is the steadier measure.
const shortestBaseline = 50 * time.Millisecond

// AgainstBaselines makes each run's speed-up against the latest earlier run of the
// same set that is a one-worker baseline of the same kind (experiment.BaselineOf),
// undisturbed and long enough: a ratio of two runs made in the same sitting, with no
// calibration between them. Runs without one keep the planned speed-up, and their
// SpeedupVs says so.
func AgainstBaselines(specs []experiment.Spec, stats []timeline.Stats) {
	for i := range min(len(specs), len(stats)) {
		for j := i - 1; j >= 0; j-- {
			base := stats[j]
			if specs[j].BaselineOf(specs[i]) && !base.Disturbed && base.Wall >= shortestBaseline {
				stats[i].AgainstMeasured(base.Wall)
				break
			}
		}
	}
}
