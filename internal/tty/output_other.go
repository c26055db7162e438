//go:build !linux

package tty

import (
	"io"
	"os"
)

// Output is stdout: the raw-write terminal of output_linux.go, which also
// tells when the terminal has gone and when a frame was written, is Linux's. Without
// the reports the panels draw their frames on their beats.
func Output(gone, wrote func()) io.Writer { return os.Stdout }
