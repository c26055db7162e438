//go:build !linux

package procwatch

import "time"

// ThreadRunDelay is not known outside Linux: no scheduler statistics to read.
func ThreadRunDelay() (time.Duration, bool) { return 0, false }

// ProcessRunDelay is not known outside Linux.
func ProcessRunDelay(int) (time.Duration, bool) { return 0, false }

// ThreadRunDelayOf is not known outside Linux.
func ThreadRunDelayOf(int, int) (time.Duration, bool) { return 0, false }
