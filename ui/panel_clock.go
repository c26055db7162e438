package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// RendererFPS is how often Bubble Tea's renderer flushes the screen: the programs
// that show a RunPanel ask for it (tea.WithFPS). It is the panel's frame rate: at
// Bubble Tea's default of 60 every other flush found nothing new and only woke the
// runtime up.
const RendererFPS = 30

// frameInterval is how often a live or replaying panel redraws.
const frameInterval = time.Second / RendererFPS

// frameClock schedules a moving panel's frames on a fixed grid of instants for as long
// as they move: half a frame after each of the renderer's flushes, which start with
// the program (Common.FrameEpoch), so each frame is drawn by the next flush, once.
// A new timer per frame started only once the frame was drawn (tea.Tick) stretched
// every period by the drawing, so a live run came out at 27-29 frames a second, not
// 30. Each frame's command waits for its instant, or returns nothing once the clock
// is halted or a newer generation started it again, so no goroutine outlives it.
type frameClock struct {
	halted chan struct{} // nil: not running
	gen    int           // the panel generation the clock beats for
	epoch  time.Time     // the grid's origin
}

// next is the command that delivers msg at the clock's next beat after now. It starts
// the clock, or starts it again when gen is newer than the one it beats for: the
// commands still waiting for the old generation's beats end at once. epoch is when
// the renderer's clock started; zero: the grid starts now.
func (c *frameClock) next(gen int, epoch time.Time, msg tea.Msg) tea.Cmd {
	now := time.Now()
	if c.halted == nil || c.gen != gen {
		c.halt()
		c.halted, c.gen, c.epoch = make(chan struct{}), gen, epoch
		if epoch.IsZero() || epoch.After(now) {
			c.epoch = now.Add(-frameInterval / 2)
		}
	}
	at, halted := nextBeat(now, c.epoch), c.halted
	return func() tea.Msg {
		t := time.NewTimer(time.Until(at))
		defer t.Stop()
		select {
		case <-t.C:
			return msg
		case <-halted:
			return nil
		}
	}
}

// nextBeat is the first instant after now on the grid epoch + (k+½)·frameInterval.
func nextBeat(now, epoch time.Time) time.Time {
	since := now.Sub(epoch) - frameInterval/2
	k := time.Duration(0)
	if since >= 0 {
		k = since/frameInterval + 1
	}
	return epoch.Add(frameInterval/2 + k*frameInterval)
}

// halt stops the clock; the commands waiting for it return nothing.
func (c *frameClock) halt() {
	if c.halted == nil {
		return
	}
	close(c.halted)
	c.halted = nil
}
