package procwatch

import (
	"os"
	"os/exec"
)

// SetGroup does nothing: no process groups here.
func SetGroup(*exec.Cmd) {}

// KillTree ends the root process; its pool workers follow when the driver's pipes close.
func KillTree(pid int) {
	if p, err := os.FindProcess(pid); err == nil {
		p.Kill()
	}
}

// AwaitTreeGone does not wait: outside Linux the tree is not tracked.
func AwaitTreeGone(int) {}
