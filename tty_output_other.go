//go:build !linux

package main

import (
	"io"
	"os"
)

// screenOutput is stdout: the raw-write terminal of tty_output_linux.go, which also
// tells when the terminal has gone and when a frame was written, is Linux's. Without
// the reports the panels draw their frames on their beats.
func screenOutput(gone, wrote func()) io.Writer { return os.Stdout }
