//go:build !linux

package pools

import "time"

// wakeup is one GIL thread's timed wait: a channel and a timer. Go's timers can be a
// millisecond late when the process is otherwise idle, so switch intervals of about
// a millisecond come out longer than on Linux, which waits on a futex.
type wakeup struct {
	c     chan struct{} // capacity 1: a signal is kept until the next wait
	timer *time.Timer
}

func newWakeup() *wakeup {
	w := &wakeup{c: make(chan struct{}, 1), timer: time.NewTimer(time.Hour)}
	w.timer.Stop()
	return w
}

// reset forgets an earlier signal; call it before announcing that the thread waits.
func (w *wakeup) reset() {
	select {
	case <-w.c:
	default:
	}
}

// signal wakes the thread if it waits, or makes its next wait return at once.
func (w *wakeup) signal() {
	select {
	case w.c <- struct{}{}:
	default:
	}
}

// wait blocks until signal or until d has passed, and reports whether it was signalled.
func (w *wakeup) wait(d time.Duration) bool {
	w.timer.Reset(d)
	defer w.timer.Stop()
	select {
	case <-w.c:
		return true
	case <-w.timer.C:
		return false
	}
}
