package pools

import (
	"runtime"
	"runtime/debug"
	"sync"
)

// gcHeadroom is how much the app may grow while a run holds the garbage collector off
// before a collection comes anyway: room for the largest recording (2,000,000 events
// of 32 bytes) several times over, and a ceiling for a run that allocates without end.
const gcHeadroom = 256 << 20

// gcPause counts the runs under way that hold the collector off, and what to restore.
var gcPause struct {
	sync.Mutex
	runs    int
	percent int
	limit   int64
}

// pauseGC collects what earlier runs left behind and turns the garbage collector off
// until the returned func is called, so that no collection takes a core's share from
// the run or slows the threads that allocate during it: the app is the observer, and
// its collections were measurement error (docs/performance.md has the figures). A
// memory limit of what the app holds now plus gcHeadroom stays as a backstop. Runs
// may overlap; the last one to end restores the settings.
//
// A run the app draws as it goes (drawn) keeps the collector on, and so does not
// collect first either: every frame leaves garbage (the screen's new string, its
// lines, the renderer's diff), and with the collector off the heap grows into fresh
// memory, each new page a fault, which cost the app more of a core than the
// collections it saved.
func pauseGC(drawn bool) (resume func()) {
	if drawn {
		return func() {}
	}
	runtime.GC()
	gcPause.Lock()
	defer gcPause.Unlock()
	if gcPause.runs == 0 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		limit := debug.SetMemoryLimit(-1) // -1 reads it
		gcPause.limit = debug.SetMemoryLimit(min(limit, int64(ms.Sys-ms.HeapReleased)+gcHeadroom))
		gcPause.percent = debug.SetGCPercent(-1)
	}
	gcPause.runs++
	return sync.OnceFunc(func() {
		gcPause.Lock()
		defer gcPause.Unlock()
		if gcPause.runs--; gcPause.runs == 0 {
			debug.SetGCPercent(gcPause.percent)
			debug.SetMemoryLimit(gcPause.limit)
		}
	})
}
