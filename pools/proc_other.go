//go:build !linux

package pools

import (
	"os"
	"syscall"
)

// workerSysProcAttr has nothing to add outside Linux: there is no parent-death
// signal, so a worker relies on its stdin reaching EOF when the app dies, which
// happens however the app ends because the app holds the pipe's only write end.
func workerSysProcAttr() *syscall.SysProcAttr { return nil }

// growPipe leaves the pipe as the OS makes it.
func growPipe(*os.File) {}

// killWorkerGroup has no group to end outside Linux: killing the worker itself, and
// giving up on its pipes (see workerProc.kill), is what ends a run there.
func killWorkerGroup(int) {}
