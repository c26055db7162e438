package uitest

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// Pump plays the Bubble Tea runtime for a model under test: it runs cmd and every
// command update returns, each on its own goroutine as the runtime does, hands
// update every message they produce, and returns the first message until accepts
// (not handed to update). It fails the test after ten seconds.
func Pump(t testing.TB, update func(tea.Msg) tea.Cmd, cmd tea.Cmd, until func(tea.Msg) bool) tea.Msg {
	t.Helper()
	msgs := make(chan tea.Msg, 64)
	stop := make(chan struct{})
	defer close(stop)
	var run func(tea.Cmd)
	run = func(c tea.Cmd) {
		if c == nil {
			return
		}
		go func() {
			msg := c()
			if batch, ok := msg.(tea.BatchMsg); ok {
				for _, c := range batch {
					run(c)
				}
				return
			}
			if msg == nil {
				return
			}
			select {
			case msgs <- msg:
			case <-stop:
			}
		}()
	}
	run(cmd)
	deadline := time.After(10 * time.Second)
	for {
		select {
		case msg := <-msgs:
			if until(msg) {
				return msg
			}
			run(update(msg))
		case <-deadline:
			t.Fatal("the awaited message never came")
			return nil
		}
	}
}
