package pools

import (
	"runtime"
	"slices"
	"sync"
)

// procsHeld is GOMAXPROCS as the runs under way need it: each asks for a number of Ps,
// the most any of them asks for is set, and the value from before the first comes back
// when the last one ends. Runs may overlap: a lesson compares two side by side.
var procsHeld struct {
	sync.Mutex
	wants  []int // one per run under way
	before int
}

// holdProcs asks for want Ps until the returned func is called.
//
// A run whose workers are other processes asks for one: all the app does then is
// dispatch, read pipes and draw, and with a P to spare the runtime woke a second
// thread to look for work each time a goroutine became ready (a pipe read, a frame),
// and left it spinning. With one P the app drew a live 2-worker process pool for less
// of a core, and a pool of 10,000 one-task chunks was no slower (docs/performance.md).
func holdProcs(want int) (release func()) {
	procsHeld.Lock()
	defer procsHeld.Unlock()
	if len(procsHeld.wants) == 0 {
		procsHeld.before = runtime.GOMAXPROCS(0)
	}
	procsHeld.wants = append(procsHeld.wants, want)
	setProcs(slices.Max(procsHeld.wants))
	return sync.OnceFunc(func() {
		procsHeld.Lock()
		defer procsHeld.Unlock()
		procsHeld.wants = slices.Delete(procsHeld.wants, slices.Index(procsHeld.wants, want), 1)
		if len(procsHeld.wants) == 0 {
			setProcs(procsHeld.before)
		} else {
			setProcs(slices.Max(procsHeld.wants))
		}
	})
}

// setProcs sets GOMAXPROCS to n unless it is n already: a change stops the world.
func setProcs(n int) {
	if runtime.GOMAXPROCS(0) != n {
		runtime.GOMAXPROCS(n)
	}
}

// threadProcs is what a run of workers threads in this process asks for: a P for every
// worker thread at once, plus one for the rest of the app, and never fewer than the
// cores. With fewer Ps than worker threads Go's scheduler, not the OS, would decide
// which threads compute (CPython's and Java's threads are scheduled by the OS); a GIL
// waiter sleeps in a raw futex wait and keeps its P too. One P to spare, not more:
// each P left idle is one more thread the runtime wakes to look for work whenever a
// goroutine of the UI becomes ready, which the observer paid for with two spare Ps
// (docs/performance.md).
func threadProcs(workers int) int {
	return max(runtime.NumCPU(), workers+1)
}
