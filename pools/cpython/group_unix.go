//go:build unix && !linux

package cpython

import (
	"os/exec"
	"syscall"
)

func setGroup(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} }

// killTree ends the whole process group rooted at pid.
func killTree(pid int) { syscall.Kill(-pid, syscall.SIGKILL) }

// awaitTreeGone does not wait: outside Linux the tree is not tracked.
func awaitTreeGone(int) {}
