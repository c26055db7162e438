// Package tty owns the terminal the app draws on: raw, poller-free frame writes and the
// restore that runs on every exit path.
package tty

import (
	"os"

	"golang.org/x/term"
)

// Restore saves stdin's terminal state now and returns what puts it back and
// leaves the alternate screen, for an exit that skips Bubble Tea's own restore.
func Restore() func() {
	fd := int(os.Stdin.Fd())
	state, err := term.GetState(fd)
	return func() {
		if err == nil {
			term.Restore(fd, state)
		}
		// Leave the alternate screen, show the cursor, turn mouse and paste modes off.
		os.Stdout.WriteString("\x1b[?1049l\x1b[?25h\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?2004l\r\n")
	}
}
