package pools

import (
	"io"
	"os"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// pipeReader reads the app's end of a worker's stdout with raw read system calls, on
// the non-blocking descriptor Go's poller already watches: a read that would block
// returns EAGAIN and the goroutine waits in the poller as before. What changes is
// the Go runtime's view. Between frames every P of the app is idle in a processes
// run, and sysmon sleeps; a read through os.File enters a system call, which wakes
// sysmon and sends it back to polling every 20 µs. Two workers flushing every 10 ms
// did that 200 times a second, and sysmon cost more than drawing the frames (16 ms
// of CPU a second, 700 wake-ups). A raw read of a non-blocking pipe never blocks.
type pipeReader struct {
	f  *os.File
	rc syscall.RawConn
}

// newPipeReader reads f with raw system calls when f is a non-blocking descriptor,
// and is f itself otherwise (a raw read of a blocking pipe would hold a P asleep).
func newPipeReader(f *os.File) io.Reader {
	rc, err := f.SyscallConn()
	if err != nil {
		return f
	}
	nonBlocking := false
	if err := rc.Control(func(fd uintptr) {
		flags, err := unix.FcntlInt(fd, unix.F_GETFL, 0)
		nonBlocking = err == nil && flags&unix.O_NONBLOCK != 0
	}); err != nil || !nonBlocking {
		return f
	}
	return pipeReader{f: f, rc: rc}
}

func (r pipeReader) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	var n int
	var errno syscall.Errno
	err := r.rc.Read(func(fd uintptr) bool {
		for {
			r1, _, e := unix.RawSyscall(unix.SYS_READ, fd, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
			if e == unix.EINTR {
				continue
			}
			n, errno = int(r1), e
			return e != unix.EAGAIN // EAGAIN: nothing yet, wait in the poller
		}
	})
	switch {
	case err != nil: // closed meanwhile
		return 0, &os.PathError{Op: "read", Path: r.f.Name(), Err: err}
	case errno != 0:
		return 0, &os.PathError{Op: "read", Path: r.f.Name(), Err: errno}
	case n == 0:
		return 0, io.EOF
	}
	return n, nil
}
