//go:build unix

package pools

import (
	"fmt"
	"os"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// sharedCounter is add(N, shared)'s counter: one page of memory shared by the app and
// its worker processes, holding a lock word and the count, as multiprocessing.Value
// holds a C int in shared memory beside a cross-process lock. Every increment takes
// the lock, loads, stores and releases it, so none is lost, and each costs an atomic
// read-modify-write on a cache line that bounces between cores.
type sharedCounter struct {
	file *os.File // what a worker process maps: passed to it as an extra file
	mem  []byte
	lock *uint32       // 0 free, 1 held, 2 held with waiters (a futex word on Linux)
	v    *atomic.Int64 // the count
}

// sharedPage is the size of the mapping: the lock word at 0, the count at 64, a
// cache line apart.
const sharedPage = 4096

// newSharedCounter makes the shared page, at count 0.
func newSharedCounter() (*sharedCounter, error) {
	f, err := sharedFile()
	if err != nil {
		return nil, fmt.Errorf("add(N, shared): making shared memory: %w", err)
	}
	if err := f.Truncate(sharedPage); err != nil {
		f.Close()
		return nil, fmt.Errorf("add(N, shared): sizing shared memory: %w", err)
	}
	c, err := mapSharedCounter(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	return c, nil
}

// mapSharedCounter maps f, a page made by newSharedCounter (here or in the app).
func mapSharedCounter(f *os.File) (*sharedCounter, error) {
	mem, err := unix.Mmap(int(f.Fd()), 0, sharedPage, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("add(N, shared): mapping shared memory: %w", err)
	}
	return &sharedCounter{file: f, mem: mem,
		lock: (*uint32)(unsafe.Pointer(&mem[0])),
		v:    (*atomic.Int64)(unsafe.Pointer(&mem[64]))}, nil
}

// increment adds one under the cross-process lock.
func (c *sharedCounter) increment() {
	c.acquire()
	c.v.Store(c.v.Load() + 1)
	c.release()
}

// acquire takes the lock word: Drepper's futex mutex ("Futexes Are Tricky", mutex2).
func (c *sharedCounter) acquire() {
	if atomic.CompareAndSwapUint32(c.lock, 0, 1) {
		return
	}
	for atomic.SwapUint32(c.lock, 2) != 0 {
		sharedWait(c.lock, 2)
	}
}

func (c *sharedCounter) release() {
	if atomic.SwapUint32(c.lock, 0) == 2 {
		sharedWake(c.lock)
	}
}

// racyIncrement loads and stores without the lock, with a call between: what
// v.value += 1 on a multiprocessing.Value does, so two processes lose updates.
func (c *sharedCounter) racyIncrement() { c.v.Store(passThrough(c.v.Load()) + 1) }

func (c *sharedCounter) load() int64 { return c.v.Load() }

// close unmaps the page and closes its file.
func (c *sharedCounter) close() {
	unix.Munmap(c.mem)
	c.file.Close()
}
