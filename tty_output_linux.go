package main

import (
	"io"
	"os"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// screenOutput is where Bubble Tea draws: the terminal on stdout, written with raw
// write system calls through a non-blocking descriptor of its own.
//
// Why: a write through os.File enters a system call the Go runtime watches, and
// leaving it wakes sysmon, which then polls every 20 µs until the app is idle again.
// Thirty frames a second did that thirty times a second, and sysmon cost a sixth of
// what drawing a live run cost (6 ms of CPU a second). A raw write to a non-blocking
// descriptor never blocks; when the terminal is full (Ctrl-S, a stopped tmux client)
// the goroutine waits in Go's poller, as os.File would. The descriptor is a fresh open
// of the terminal, not a dup: O_NONBLOCK belongs to the open file, and the shell that
// shares stdout's must not find it set after we exit.
//
// Bubble Tea sets the terminal's modes and reads its size through Fd, which is stdout's.
// Anything that is not a terminal, or a terminal that cannot be reopened, is stdout.
func screenOutput() io.Writer {
	if !term.IsTerminal(int(os.Stdout.Fd())) {
		return os.Stdout
	}
	fd, err := unix.Open("/proc/self/fd/1", unix.O_WRONLY|unix.O_NONBLOCK|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return os.Stdout
	}
	f := os.NewFile(uintptr(fd), "/dev/tty") // non-blocking, so Go's poller watches it
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return os.Stdout
	}
	return rawTerminal{File: os.Stdout, out: f, rc: rc}
}

type rawTerminal struct {
	*os.File // stdout: Fd, Read and Close as before
	out      *os.File
	rc       syscall.RawConn
}

func (t rawTerminal) Write(b []byte) (int, error) {
	written, errno := 0, syscall.Errno(0)
	err := t.rc.Write(func(fd uintptr) bool {
		for written < len(b) {
			n, _, e := unix.RawSyscall(unix.SYS_WRITE, fd, uintptr(unsafe.Pointer(&b[written])), uintptr(len(b)-written))
			switch e {
			case 0:
				written += int(n)
			case unix.EINTR:
			case unix.EAGAIN:
				return false // the terminal is full: wait in the poller
			default:
				errno = e
				return true
			}
		}
		return true
	})
	if err == nil && errno != 0 {
		err = &os.PathError{Op: "write", Path: t.out.Name(), Err: errno}
	}
	return written, err
}

func (t rawTerminal) WriteString(s string) (int, error) { return t.Write([]byte(s)) }
