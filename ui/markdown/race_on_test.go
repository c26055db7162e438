//go:build race

package markdown

// raceDetector: the race detector slows every memory access several times over.
const raceDetector = true
