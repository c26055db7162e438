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
	first := c.next(1, "frame 1")
	if got := first(); got != "frame 1" {
		t.Fatalf("the first beat delivered %v", got)
	}

	stale := make(chan any, 1)
	waiting := c.next(1, "old generation")
	go func() { stale <- waiting() }()
	time.Sleep(5 * time.Millisecond) // waiting for the beat
	fresh := c.next(2, "frame 2")    // a new generation starts the clock again
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

	last := c.next(2, "never")
	c.halt()
	if got := last(); got != nil {
		t.Fatalf("a halted clock delivered %v", got)
	}
	if c.ticker != nil {
		t.Fatal("a halted clock still runs")
	}
	c.halt() // halting twice is harmless
}
