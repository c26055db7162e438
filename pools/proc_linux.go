package pools

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// workerSysProcAttr makes a worker die with the app: the kernel sends it SIGKILL when
// the thread that started it exits (see spawner for why that thread is the right
// one). Closing stdin covers an orderly exit; this covers kill -9 of the app.
func workerSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// pipeSize is what a worker's pipes are grown to: a 64 KB pipe (Linux's default)
// makes a 10 MB payload cost 160 wake-ups of each side; 1 MB (the unprivileged
// maximum) makes it 10.
const pipeSize = 1 << 20

// growPipe enlarges the pipe behind f; failing only costs speed.
func growPipe(f *os.File) {
	if sc, err := f.SyscallConn(); err == nil {
		sc.Control(func(fd uintptr) { unix.FcntlInt(fd, unix.F_SETPIPE_SZ, pipeSize) })
	}
}
