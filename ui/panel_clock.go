package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// frameClock schedules a moving panel's frames from one ticker for as long as they
// move. A new timer per frame (tea.Tick), started only once the frame was drawn,
// stretched every period by the time drawing took, so a live run came out at 27-29
// frames a second, not 30; a ticker keeps its period. Each frame's command waits for
// the ticker's next beat, or returns nothing once the clock is halted, so no
// goroutine is left waiting for a clock that no longer beats.
type frameClock struct {
	ticker *time.Ticker
	halted chan struct{}
	gen    int // the panel generation the clock beats for
}

// next is the command that delivers msg at the clock's next beat. It starts the
// clock, or starts it again when gen is newer than the one it beats for: the
// commands still waiting for the old generation's beats end at once.
func (c *frameClock) next(gen int, msg tea.Msg) tea.Cmd {
	if c.ticker == nil || c.gen != gen {
		c.halt()
		c.ticker, c.halted, c.gen = time.NewTicker(frameInterval), make(chan struct{}), gen
	}
	beats, halted := c.ticker.C, c.halted
	return func() tea.Msg {
		select {
		case <-beats:
			return msg
		case <-halted:
			return nil
		}
	}
}

// halt stops the clock; the commands waiting for it return nothing.
func (c *frameClock) halt() {
	if c.ticker == nil {
		return
	}
	c.ticker.Stop()
	close(c.halted)
	c.ticker, c.halted = nil, nil
}
