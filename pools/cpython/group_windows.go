package cpython

import (
	"os"
	"os/exec"
)

func setGroup(*exec.Cmd) {}

// killTree ends the root process; its pool workers follow when the driver's pipes close.
func killTree(pid int) {
	if p, err := os.FindProcess(pid); err == nil {
		p.Kill()
	}
}

// awaitTreeGone does not wait: outside Linux the tree is not tracked.
func awaitTreeGone(int) {}
