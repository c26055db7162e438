//go:build !linux

package main

import (
	"io"
	"os"
)

// screenOutput is stdout: the raw-write terminal of tty_output_linux.go, which also
// tells when the terminal has gone, is Linux's.
func screenOutput(gone func()) io.Writer { return os.Stdout }
