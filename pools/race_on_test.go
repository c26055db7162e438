//go:build race

package pools

// raceDetector: the race detector slows every memory access several times over, so
// the few instructions around a hand-off cost milliseconds of CPU there.
const raceDetector = true
