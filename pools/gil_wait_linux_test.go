package pools

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// TestGILWaitersLetTheWorldStop: a GIL waiter sleeps in a raw futex wait, holding its
// P, and a stop of the world (every GC has two) waits for it. Its waits are cut into
// maxRawWait pieces, so at the longest switch interval a GC still finishes in a few
// milliseconds rather than waiting out a waiter's second. Usually the runtime's
// preemption signal interrupts the wait anyway (EINTR); the pieces are what bound it
// when no signal comes (one landing just before the wait begins is lost to it, and
// GODEBUG=asyncpreemptoff=1 sends none: run so, with unbounded pieces, this fails).
// The bound is generous: the failure it guards against costs hundreds of milliseconds.
func TestGILWaitersLetTheWorldStop(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two GIL threads for about a second")
	}
	if raceDetector {
		// The race detector makes a GC several times slower, and CI's race stage runs
		// test binaries side by side: one GC took 290 ms there with waits cut short.
		t.Skip("times GCs: meaningless under the race detector (the plain test run checks it)")
	}
	spec := experiment.Spec{Model: experiment.GIL, Workers: 2, SwitchInterval: time.Second, Tasks: parse(t, "2*cpu(2s)")}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rec := timeline.NewRecorder(spec.Meta())
	done := make(chan error, 1)
	go func() { done <- New().Run(ctx, spec, rec) }()

	time.Sleep(300 * time.Millisecond) // both threads started: one holds the lock, one waits
	var slowest time.Duration
	for range 4 {
		start := time.Now()
		runtime.GC()
		slowest = max(slowest, time.Since(start))
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Fatalf("run: %v", err)
	}
	if limit := 200 * time.Millisecond; slowest > limit {
		t.Errorf("a GC took %v while a GIL thread waited a 1 s switch interval; want under %v (waits are cut into %v pieces)", slowest, limit, maxRawWait)
	}
	t.Logf("slowest GC during the run: %v", slowest)
}
