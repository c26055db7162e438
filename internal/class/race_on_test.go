//go:build race

package class

// raceDetector: the race detector slows every memory access several times over.
const raceDetector = true
