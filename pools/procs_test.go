package pools

import (
	"runtime"
	"testing"
)

// TestHoldProcsGivesOverlappingRunsTheMost: a process pool alone holds the app to one
// P, a thread pool beside it gets all it asks for, and the value from before comes
// back when the last run ends, whichever order they end in.
func TestHoldProcsGivesOverlappingRunsTheMost(t *testing.T) {
	before := runtime.GOMAXPROCS(0)
	procs := func() int { return runtime.GOMAXPROCS(0) }

	pool := holdProcs(1)
	if n := procs(); n != 1 {
		t.Errorf("GOMAXPROCS %d during a process pool, want 1", n)
	}
	threads := holdProcs(5)
	if n := procs(); n != 5 {
		t.Errorf("GOMAXPROCS %d with a 4-thread run beside it, want 5", n)
	}
	pool()
	pool() // a second call is harmless
	if n := procs(); n != 5 {
		t.Errorf("GOMAXPROCS %d once the pool ended, the threads still running, want 5", n)
	}
	again := holdProcs(1)
	threads()
	if n := procs(); n != 1 {
		t.Errorf("GOMAXPROCS %d with only a process pool left, want 1", n)
	}
	again()
	if n := procs(); n != before {
		t.Errorf("GOMAXPROCS %d after every run, want %d back", n, before)
	}
}
