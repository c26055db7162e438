//go:build unix

package inputfile

import (
	"os"
	"syscall"
)

// openNoBlock opens path with O_NONBLOCK, so opening a FIFO with no writer returns at
// once instead of waiting for one.
func openNoBlock(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}

// setBlocking clears O_NONBLOCK on a regular file (where it means nothing, but keeps
// the runtime's poller out of the way).
func setBlocking(f *os.File) error {
	return syscall.SetNonblock(int(f.Fd()), false)
}
