//go:build unix && !linux

package procwatch

import (
	"os/exec"
	"syscall"
)

// SetGroup makes cmd the leader of a process group of its own.
func SetGroup(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} }

// KillTree ends the whole process group rooted at pid.
func KillTree(pid int) { syscall.Kill(-pid, syscall.SIGKILL) }

// AwaitTreeGone does not wait: outside Linux the tree is not tracked.
func AwaitTreeGone(int) {}
