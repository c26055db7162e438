package cpython

import "sync/atomic"

// stale says this machine's clock moved since the interpreters were calibrated: the
// next FindInterpreter calibrates its interpreter again rather than trust a cache.
var stale atomic.Bool

// Recalibrate forgets every interpreter found and its cached speed, so the next py-*
// run calibrates its interpreter again, in the same sitting as Go's calibration.
func Recalibrate() {
	found.Clear()
	stale.Store(true)
}
