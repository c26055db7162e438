//go:build unix && !linux

package pools

import (
	"os"
	"runtime"
	"sync/atomic"
)

// sharedFile is a temporary file, unlinked at once: the mapping keeps it alive.
func sharedFile() (*os.File, error) {
	f, err := os.CreateTemp("", "coreography-counter")
	if err != nil {
		return nil, err
	}
	os.Remove(f.Name())
	return f, nil
}

// Without a cross-process futex, a waiter yields its core until the word changes.
func sharedWait(word *uint32, val uint32) {
	for atomic.LoadUint32(word) == val {
		runtime.Gosched()
	}
}

func sharedWake(*uint32) {}
