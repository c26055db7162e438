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
// otherwise idle, which stretches a 1 ms switch interval to 2 ms and halves the
// switches a learner sees; the kernel's hrtimer keeps the interval within ~50 µs.
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
		unix.Syscall6(unix.SYS_FUTEX, uintptr(unsafe.Pointer(&w.word)), futexWake, 1, 0, 0, 0)
	}
}

// wait blocks the calling thread until signal or until d has passed, and reports
// whether it was signalled. The thread sleeps in the kernel: no CPU is used.
func (w *wakeup) wait(d time.Duration) bool {
	deadline := time.Now().Add(d)
	for atomic.LoadUint32(&w.word) == 0 {
		left := time.Until(deadline)
		if left <= 0 {
			return false
		}
		ts := unix.NsecToTimespec(int64(left))
		// Returns when woken, at the timeout, on a signal (EINTR) or at once if the
		// word is no longer 0 (EAGAIN): the loop sorts them out.
		unix.Syscall6(unix.SYS_FUTEX, uintptr(unsafe.Pointer(&w.word)), futexWait, 0, uintptr(unsafe.Pointer(&ts)), 0, 0)
	}
	return true
}
