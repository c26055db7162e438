//go:build race

package ui

// raceDetector: the race detector slows every memory access several times over.
const raceDetector = true
