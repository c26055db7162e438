package ui

import (
	"testing"
	"time"
)

// The frame clock delivers a frame's message at its next beat; a command still
// waiting for an older generation's beat, or for a halted clock, returns nothing at
// once, so no goroutine outlives the clock.
func TestFrameClockBeatsAndStaleCommandsEnd(t *testing.T) {
	var c frameClock
	first := c.next(1, time.Time{}, "frame 1")
	if got := first(); got != "frame 1" {
		t.Fatalf("the first beat delivered %v", got)
	}

	stale := make(chan any, 1)
	waiting := c.next(1, time.Time{}, "old generation")
	go func() { stale <- waiting() }()
	time.Sleep(5 * time.Millisecond)           // waiting for the beat
	fresh := c.next(2, time.Time{}, "frame 2") // a new generation starts the clock again
	select {
	case got := <-stale:
		if got != nil {
			t.Fatalf("a command of the old generation delivered %v", got)
		}
	case <-time.After(time.Second):
		t.Fatal("a command of the old generation still waits")
	}
	if got := fresh(); got != "frame 2" {
		t.Fatalf("the new generation's beat delivered %v", got)
	}

	last := c.next(2, time.Time{}, "never")
	c.halt()
	if got := last(); got != nil {
		t.Fatalf("a halted clock delivered %v", got)
	}
	if c.halted != nil {
		t.Fatal("a halted clock still runs")
	}
	c.halt() // halting twice is harmless
}

// Beats fall half a frame after each of the renderer's flushes, on a grid that does
// not drift however late a frame was drawn.
func TestNextBeatIsMidwayBetweenFlushes(t *testing.T) {
	epoch := time.Unix(1000, 0)
	half := frameInterval / 2
	for _, c := range []struct{ now, want time.Duration }{
		{0, half},
		{half - 1, half},
		{half, half + frameInterval},
		{half + 5*time.Millisecond, half + frameInterval},
		{10*frameInterval + half + 1, 11*frameInterval + half},
	} {
		if got := nextBeat(epoch.Add(c.now), epoch).Sub(epoch); got != c.want {
			t.Errorf("nextBeat at epoch+%v = epoch+%v, want epoch+%v", c.now, got, c.want)
		}
	}
}
