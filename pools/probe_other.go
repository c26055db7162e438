//go:build !linux

package pools

import (
	"errors"
	"os"
)

// PerCoreAttribution says whether workers can tell which core they run on: only Linux
// has getcpu and per-thread CPU clocks, so elsewhere core lanes are left out.
const PerCoreAttribution = false

func threadID() int { return os.Getpid() }

func threadCPUTime() int64 { return -1 }

func currentCPU() int16 { return -1 }

func pinThread(k int) error {
	if k <= 0 {
		return nil
	}
	return errors.New("cores: pinning a run to cores needs Linux (sched_setaffinity)")
}
