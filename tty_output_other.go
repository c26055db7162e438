//go:build !linux

package main

import (
	"io"
	"os"
)

// screenOutput is stdout: the raw-write terminal of tty_output_linux.go is Linux's.
func screenOutput() io.Writer { return os.Stdout }
