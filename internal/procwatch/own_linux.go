package procwatch

import (
	"time"

	"golang.org/x/sys/unix"
)

// ownCores follows the CPU of the thread that opened it, per core, from its own
// /proc files: the sampler's time shows in the cores' busy counters as if it were
// the watched tree's unseen processes, and is taken out before those are placed.
type ownCores struct {
	sched, stat int // raw descriptors of /proc/thread-self/{schedstat,stat}; -1: none
	runtime     int64
	on          map[int]time.Duration
}

// openOwnCores opens the calling thread's files: call it on the thread to follow,
// locked to its goroutine.
func openOwnCores() *ownCores {
	o := &ownCores{sched: -1, stat: -1, on: map[int]time.Duration{}}
	var err error
	if o.sched, err = unix.Open("/proc/thread-self/schedstat", unix.O_RDONLY|unix.O_CLOEXEC, 0); err != nil {
		o.sched = -1
	}
	if o.stat, err = unix.Open("/proc/thread-self/stat", unix.O_RDONLY|unix.O_CLOEXEC, 0); err != nil {
		o.stat = -1
	}
	return o
}

// note adds the CPU used since the last note to the core the thread is on now: it
// is called every few milliseconds, and a thread rarely moves between two calls.
func (o *ownCores) note(buf []byte) {
	if o.sched < 0 || o.stat < 0 {
		return
	}
	n, ok := rawPread(o.sched, buf)
	if !ok {
		return
	}
	runtime, _ := nextField(buf[:n])
	if n, ok = rawPread(o.stat, buf); !ok {
		return
	}
	if _, _, core, ok := statStateCore(buf[:n]); ok && o.runtime > 0 {
		o.on[int(core)] += time.Duration(runtime - o.runtime)
	}
	o.runtime = runtime
}

func (o *ownCores) close() { closeFiles(o.sched, o.stat) }
