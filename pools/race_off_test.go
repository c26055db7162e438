//go:build !race

package pools

const raceDetector = false
