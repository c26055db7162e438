package panel

import (
	"os"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/coreography/coreography/internal/timeline"
)

// burn keeps the calling thread busy for d of its own CPU time. The goroutine stays
// on one thread meanwhile, or the clock would be another thread's. It reads the clock
// only now and then: each read is a system call, and the runtime may wake another
// thread for every one.
func burn(d time.Duration) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var ts unix.Timespec
	_ = unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts)
	end, x := ts.Nano()+d.Nanoseconds(), uint64(1)
	for ts.Nano() < end {
		for range 200_000 {
			x = x*6364136223846793005 + 1442695040888963407
		}
		_ = unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts)
	}
	sink.Store(x)
}

var sink atomic.Uint64

func processCPU(t *testing.T) time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// A worker thread's CPU is left out by its id; any other thread's is counted.
func TestThreadMeterLeavesOutWorkerThreads(t *testing.T) {
	m := newObserverMeter()
	tidc := make(chan int32)
	done := make(chan struct{})
	go func() {
		runtime.LockOSThread() // for good, as pools' workers are
		tidc <- int32(unix.Gettid())
		burn(200 * time.Millisecond)
		close(done)
		select {} // keep the thread alive and locked until the test ends
	}()
	tid := <-tidc
	worker := []*timeline.Trace{{Lanes: []timeline.LaneData{{Events: []timeline.Event{{PID: int32(os.Getpid()), TID: tid}}}}}}
	before, ok := m.Read(worker)
	if !ok {
		t.Fatal("threads cannot be read")
	}
	<-done
	afterWorker, _ := m.Read(worker)
	burn(200 * time.Millisecond) // on this, a non-worker thread
	afterOwn, _ := m.Read(worker)
	if w := afterWorker - before; w > 50*time.Millisecond {
		t.Errorf("a worker's 200ms of CPU counted as %v of observer CPU", w)
	}
	if own := afterOwn - afterWorker; own < 150*time.Millisecond || own > 400*time.Millisecond {
		t.Errorf("200ms of CPU on an observer thread measured as %v", own)
	}
}

// With no worker threads in the process (the processes model), the observer is the
// whole process: the per-thread sum agrees with the process's own CPU time.
func TestThreadMeterAgreesWithProcessCPUWithoutWorkers(t *testing.T) {
	m := newObserverMeter()
	m.Read(nil)
	p0 := processCPU(t)
	stop := make(chan struct{})
	for range 2 {
		go func() {
			for {
				select {
				case <-stop:
					return
				default:
					burn(time.Millisecond)
				}
			}
		}()
	}
	time.Sleep(300 * time.Millisecond)
	close(stop)
	time.Sleep(10 * time.Millisecond)
	own, _ := m.Read(nil)
	proc := processCPU(t) - p0
	if diff := (own - proc).Abs(); diff > proc/10+5*time.Millisecond {
		t.Fatalf("threads add up to %v, the process used %v", own, proc)
	}
	t.Logf("threads %v, process %v", own, proc)
}
