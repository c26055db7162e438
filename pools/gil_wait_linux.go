package pools

import (
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// wakeup is one GIL thread's timed wait, done as CPython's pthread_cond_timedwait does
// it: a futex wait with a nanosecond timeout on the thread itself. Go's own timers
// are only as fine as the netpoller's millisecond epoll timeout when the process is
// otherwise idle, which stretches a 1 ms switch interval to about twice that and
// halves the switches a learner sees; the kernel's hrtimer keeps the interval close.
type wakeup struct{ word uint32 } // 1 once signalled; reset before each wait

func newWakeup() *wakeup { return &wakeup{} }

const (
	futexWait = 0 | 128 // FUTEX_WAIT | FUTEX_PRIVATE_FLAG
	futexWake = 1 | 128 // FUTEX_WAKE | FUTEX_PRIVATE_FLAG
)

// reset forgets an earlier signal; call it before announcing that the thread waits.
func (w *wakeup) reset() { atomic.StoreUint32(&w.word, 0) }

// signal wakes the thread if it waits, or makes its next wait return at once.
func (w *wakeup) signal() {
	if atomic.SwapUint32(&w.word, 1) == 0 {
		unix.RawSyscall6(unix.SYS_FUTEX, uintptr(unsafe.Pointer(&w.word)), futexWake, 1, 0, 0, 0)
	}
}

// maxRawWait bounds one futex wait. The wait is a raw system call: the thread keeps
// its P while it sleeps, so Go sees a running goroutine rather than one stuck in a
// system call. Through unix.Syscall6 a GIL waiter that never parks looked to sysmon
// like a P held in a system call for too long: it took the P back dozens of times a
// second and each time went back to polling every 20 µs, a good share of a core in a
// 2-thread run, none of it the run's (docs/performance.md). GOMAXPROCS leaves two Ps
// beyond the workers (threadProcs), so the app still has Ps to draw with. A stop of
// the world (a GC phase) waits for the sleeping thread until its wait ends, so a wait
// is cut into pieces of at most this, CPython's default switch interval: one piece
// at the default, and a GC pause no longer than that at any interval.
const maxRawWait = 5 * time.Millisecond

// wait blocks the calling thread until signal or until d has passed, and reports
// whether it was signalled. The thread sleeps in the kernel: no CPU is used.
func (w *wakeup) wait(d time.Duration) bool {
	deadline := time.Now().Add(d)
	for atomic.LoadUint32(&w.word) == 0 {
		left := time.Until(deadline)
		if left <= 0 {
			return false
		}
		futexSleep(&w.word, min(left, maxRawWait))
	}
	return true
}

// futexSleep sleeps while *word is 0, for d at most. It returns when woken, at the
// timeout, on a signal (EINTR) or at once if the word is no longer 0 (EAGAIN): the
// caller's loop sorts them out. It is never inlined and calls a function, so its
// entry checks for preemption: a stop of the world asked for during one piece of a
// wait is honoured before the next.
//
//go:noinline
func futexSleep(word *uint32, d time.Duration) {
	ts := unix.NsecToTimespec(int64(d))
	unix.RawSyscall6(unix.SYS_FUTEX, uintptr(unsafe.Pointer(word)), futexWait, 0, uintptr(unsafe.Pointer(&ts)), 0, 0)
}
