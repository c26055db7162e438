//go:build !unix

package ui

import "time"

// processCPUTime is not measured where getrusage does not exist; the panel then
// leaves the observer's cost out rather than guess.
func processCPUTime() (time.Duration, bool) { return 0, false }
