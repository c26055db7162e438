package lessons

import (
	"strconv"
	"strings"
)

// ReplaySpeeds are the slowed speeds a finished run can be replayed at, fastest
// first: the player's playback speeds below 1×. At 0.01× a 5 ms GIL hand-off takes
// half a second.
var ReplaySpeeds = []float64{0.5, 0.1, 0.01}

// ReplaySlow is Experiment.Replay for `replay: slow`: the player picks the speed
// from how long the run took.
const ReplaySlow = -1

// readReplay reads replay: slow, or one of ReplaySpeeds as 0.01x (or 0.01×, or
// 0.01). A run shorter than a second is over before the eye follows it; replayed
// slowed down as soon as it ends, the learner watches it happen.
func (b *block) readReplay(k keyed) float64 {
	v, ok := b.str(k)
	if !ok {
		return 0
	}
	s := strings.TrimSpace(v)
	if s == "slow" {
		return ReplaySlow
	}
	s = strings.TrimSuffix(strings.TrimSuffix(s, "x"), "×")
	if x, err := strconv.ParseFloat(s, 64); err == nil {
		for _, speed := range ReplaySpeeds {
			if x == speed {
				return x
			}
		}
	}
	b.problems.add(k.val.line, k.val.col, "replay should be slow or a speed of 0.5x, 0.1x or 0.01x, found %q", v)
	return 0
}
