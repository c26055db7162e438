package pools

import (
	"io"
	"os"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// rawPipe reads or writes the app's end of a worker's pipe with raw system calls, on
// the non-blocking descriptor Go's poller already watches: a call that would block
// returns EAGAIN and the goroutine waits in the poller as before. What changes is
// the Go runtime's view. Between frames every P of the app is idle in a processes
// run, and sysmon sleeps; a read or write through os.File enters a system call,
// which wakes sysmon and sends it back to polling every 20 µs for the next fifty
// rounds. Two workers flushing every 10 ms did that 200 times a second, and sysmon
// cost more than drawing the frames (docs/performance.md); feeding each finished
// worker its next task did it once a task. A raw call on a
// non-blocking pipe never blocks.
type rawPipe struct {
	f  *os.File
	rc syscall.RawConn
}

// newPipeReader reads f with raw system calls when f is a non-blocking descriptor,
// and is f itself otherwise (a raw read of a blocking pipe would hold a P asleep).
func newPipeReader(f *os.File) io.Reader {
	if p, ok := newRawPipe(f); ok {
		return pipeReader(p)
	}
	return f
}

// newPipeWriter is newPipeReader's other direction.
func newPipeWriter(f *os.File) io.Writer {
	if p, ok := newRawPipe(f); ok {
		return pipeWriter(p)
	}
	return f
}

func newRawPipe(f *os.File) (rawPipe, bool) {
	rc, err := f.SyscallConn()
	if err != nil {
		return rawPipe{}, false
	}
	nonBlocking := false
	if err := rc.Control(func(fd uintptr) {
		flags, err := unix.FcntlInt(fd, unix.F_GETFL, 0)
		nonBlocking = err == nil && flags&unix.O_NONBLOCK != 0
	}); err != nil || !nonBlocking {
		return rawPipe{}, false
	}
	return rawPipe{f: f, rc: rc}, true
}

// call makes the system call trap on the pipe's descriptor with b, waiting in the
// poller while it answers EAGAIN (wait is rc.Read or rc.Write).
func (p rawPipe) call(op string, trap uintptr, b []byte, wait func(func(uintptr) bool) error) (int, error) {
	var n int
	var errno syscall.Errno
	err := wait(func(fd uintptr) bool {
		for {
			r1, _, e := unix.RawSyscall(trap, fd, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
			if e == unix.EINTR {
				continue
			}
			n, errno = int(r1), e
			return e != unix.EAGAIN
		}
	})
	switch {
	case err != nil: // closed meanwhile
		return 0, &os.PathError{Op: op, Path: p.f.Name(), Err: err}
	case errno != 0:
		return 0, &os.PathError{Op: op, Path: p.f.Name(), Err: errno}
	}
	return n, nil
}

type pipeReader rawPipe

func (r pipeReader) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	n, err := rawPipe(r).call("read", unix.SYS_READ, b, r.rc.Read)
	if err == nil && n == 0 {
		return 0, io.EOF
	}
	return n, err
}

type pipeWriter rawPipe

func (w pipeWriter) Write(b []byte) (int, error) {
	written := 0
	for written < len(b) {
		n, err := rawPipe(w).call("write", unix.SYS_WRITE, b[written:], w.rc.Write)
		written += n
		if err != nil {
			return written, err
		}
	}
	return written, nil
}
