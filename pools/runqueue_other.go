//go:build !linux

package pools

import "time"

// threadRunDelay is not known outside Linux: no scheduler statistics to read.
func threadRunDelay() (time.Duration, bool) { return 0, false }

// processRunDelay is not known outside Linux.
func processRunDelay(int) (time.Duration, bool) { return 0, false }
