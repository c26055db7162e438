package pools

import "syscall"

// workerSysProcAttr makes a worker die with the app: the kernel sends it SIGKILL when
// the thread that started it exits (see spawner for why that thread is the right
// one). Closing stdin covers an orderly exit; this covers kill -9 of the app.
func workerSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
