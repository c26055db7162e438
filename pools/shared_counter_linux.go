package pools

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// sharedFile is an anonymous memory file: nothing on disk, gone with its last user.
func sharedFile() (*os.File, error) {
	fd, err := unix.MemfdCreate("coreography-counter", unix.MFD_CLOEXEC) // ExtraFiles dups it for a worker
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), "coreography-counter"), nil
}

// Shared futex operations: without FUTEX_PRIVATE_FLAG, so waiters in other processes
// mapping the same page are found.
const (
	futexWaitShared = 0
	futexWakeShared = 1
)

// sharedWait sleeps while *word is still val.
func sharedWait(word *uint32, val uint32) {
	unix.Syscall6(unix.SYS_FUTEX, uintptr(unsafe.Pointer(word)), futexWaitShared, uintptr(val), 0, 0, 0)
}

// sharedWake wakes one waiter.
func sharedWake(word *uint32) {
	unix.Syscall6(unix.SYS_FUTEX, uintptr(unsafe.Pointer(word)), futexWakeShared, 1, 0, 0, 0)
}
