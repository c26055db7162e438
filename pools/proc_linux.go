package pools

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// workerSysProcAttr makes a worker die with the app: the kernel sends it SIGKILL when
// the thread that started it exits (see spawner for why that thread is the right
// one). Closing stdin covers an orderly exit; this covers kill -9 of the app.
//
// Each worker leads a process group of its own, so that killing it ends whatever it
// started too: a worker binary replaced by a script whose child never answers would
// otherwise leave that child holding the worker's pipes, and the run waiting on them.
func workerSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
}

// killWorkerGroup ends every process of the group the worker pid leads.
func killWorkerGroup(pid int) { syscall.Kill(-pid, syscall.SIGKILL) }

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
