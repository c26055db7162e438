package tty

import (
	"io"
	"os"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// Output is where Bubble Tea draws: the terminal on stdout, written with raw
// write system calls to a non-blocking descriptor of its own that Go's poller does
// not watch.
//
// Why raw: a write through os.File enters a system call the Go runtime watches, and
// leaving it wakes sysmon, which then polls every 20 µs until the app is idle again.
// Thirty frames a second did that thirty times a second, and sysmon cost a good part
// of what drawing a live run cost (docs/performance.md). Why not in the poller: each
// write that the terminal took makes the descriptor writable again, an edge the
// poller reports by waking a thread to find nothing to do, once a frame. When the
// terminal is full (Ctrl-S, a stopped tmux client) the write waits in poll(2), a
// system call the runtime sees, so the rest of the app runs on. The descriptor is a
// fresh open of the terminal, not a dup: O_NONBLOCK belongs to the open file, and the
// shell that shares stdout's must not find it set after we exit.
//
// Bubble Tea sets the terminal's modes and reads its size through Fd, which is stdout's.
// Anything that is not a terminal, or a terminal that cannot be reopened, is stdout.
//
// wrote is called after each write, which Bubble Tea makes once per frame it shows
// (ui/common.Flushes: the panels draw their next frame then).
//
// gone is called (once) when a write fails for good: a terminal that hung up answers
// EIO. Bubble Tea drops its renderer's write errors, and SIGHUP does not reach a
// process that is neither the session's leader nor in its foreground group (one
// started under strace, say), so without it the app drew into a dead terminal for
// ever.
func Output(gone, wrote func()) io.Writer {
	if !term.IsTerminal(int(os.Stdout.Fd())) {
		return os.Stdout
	}
	fd, err := unix.Open("/proc/self/fd/1", unix.O_WRONLY|unix.O_NONBLOCK|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return os.Stdout
	}
	return rawTerminal{File: os.Stdout, fd: fd, gone: sync.OnceFunc(gone), wrote: wrote}
}

type rawTerminal struct {
	*os.File // stdout: Fd, Read and Close as before
	fd       int
	gone     func()
	wrote    func()
}

func (t rawTerminal) Write(b []byte) (int, error) {
	written := 0
	for written < len(b) {
		n, _, e := unix.RawSyscall(unix.SYS_WRITE, uintptr(t.fd), uintptr(unsafe.Pointer(&b[written])), uintptr(len(b)-written))
		switch e {
		case 0:
			written += int(n)
		case unix.EINTR:
		case unix.EAGAIN: // the terminal is full: wait until it takes more
			if _, err := unix.Poll([]unix.PollFd{{Fd: int32(t.fd), Events: unix.POLLOUT}}, -1); err != nil && err != unix.EINTR {
				t.gone()
				return written, &os.PathError{Op: "poll", Path: "/dev/tty", Err: err}
			}
		default:
			t.gone()
			return written, &os.PathError{Op: "write", Path: "/dev/tty", Err: e}
		}
	}
	t.wrote()
	return written, nil
}

func (t rawTerminal) WriteString(s string) (int, error) { return t.Write([]byte(s)) }
