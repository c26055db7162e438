package panel

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/ui/common"
)

// RendererFPS is how often Bubble Tea's renderer flushes the screen: the programs
// that show a RunPanel ask for it (tea.WithFPS). It is the panel's frame rate: at
// Bubble Tea's default of 60 every other flush found nothing new and only woke the
// runtime up.
const RendererFPS = 30

// frameInterval is how often a live or replaying panel redraws.
const frameInterval = time.Second / RendererFPS

// frameClock schedules a moving panel's frames for as long as they move. Each frame is
// drawn just after the renderer has written the one before (Flushes), so it is ready
// for the renderer's next flush and shown by it, once. Only a flush that wrote
// nothing, because the frame had not changed, or a program whose writes nobody
// reports, leaves a frame to its beat: half a frame after the next flush, on a grid
// that starts with the renderer's clock (Common.FrameEpoch). A new timer per frame
// started only once the frame was drawn (tea.Tick) stretched every period by the
// drawing, so a live run came out at fewer frames a second than asked. Each frame's
// command waits for its flush or beat, or returns nothing once the clock is halted or
// a newer generation started it again, so no goroutine outlives it.
type frameClock struct {
	halted chan struct{} // nil: not running
	gen    int           // the panel generation the clock beats for
	epoch  time.Time     // the grid's origin
}

// next is the command that makes and delivers frame's message after the renderer's
// next flush, or at the beat after it: what frame does (a snapshot of a live run, a
// reading of the app's CPU) runs in the command, off the update loop. It starts the clock, or starts it again when gen is newer than the
// one it beats for: the commands still waiting for the old generation end at once.
// epoch is when the renderer's clock started; zero: the grid starts now.
func (c *frameClock) next(gen int, epoch time.Time, flushes *common.Flushes, frame func() tea.Msg) tea.Cmd {
	now := time.Now()
	if c.halted == nil || c.gen != gen {
		c.halt()
		c.halted, c.gen, c.epoch = make(chan struct{}), gen, epoch
		if epoch.IsZero() || epoch.After(now) {
			c.epoch = now.Add(-frameInterval / 2)
		}
	}
	// The beat after the next flush: half a frame on from now is past that flush.
	at, halted, flushed := nextBeat(now.Add(frameInterval/2), c.epoch), c.halted, flushes.Next()
	return func() tea.Msg {
		t := time.NewTimer(time.Until(at))
		defer t.Stop()
		select {
		case <-flushed:
			return frame()
		case <-t.C:
			return frame()
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
