package panel

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/ui/common"
)

// The frame clock delivers a frame's message at its next beat; a command still
// waiting for an older generation's beat, or for a halted clock, returns nothing at
// once, so no goroutine outlives the clock.
func TestFrameClockBeatsAndStaleCommandsEnd(t *testing.T) {
	var c frameClock
	first := c.next(1, time.Time{}, nil, msgOf("frame 1"))
	if got := first(); got != "frame 1" {
		t.Fatalf("the first beat delivered %v", got)
	}

	stale := make(chan any, 1)
	waiting := c.next(1, time.Time{}, nil, msgOf("old generation"))
	go func() { stale <- waiting() }()
	time.Sleep(5 * time.Millisecond)                       // waiting for the beat
	fresh := c.next(2, time.Time{}, nil, msgOf("frame 2")) // a new generation starts the clock again
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

	last := c.next(2, time.Time{}, nil, msgOf("never"))
	c.halt()
	if got := last(); got != nil {
		t.Fatalf("a halted clock delivered %v", got)
	}
	if c.halted != nil {
		t.Fatal("a halted clock still runs")
	}
	c.halt() // halting twice is harmless
}

// With Flushes, a frame comes right after the renderer's next write, to every panel
// waiting, not at its beat; a write before the command was made does not count, and
// a frame that wrote nothing falls back on the beat after that flush.
func TestFrameClockDrawsAfterEachFlush(t *testing.T) {
	f := common.NewFlushes()
	var a, b frameClock
	f.Wrote() // an earlier write: not the next flush
	waitA, waitB := a.next(1, time.Now(), f, msgOf("a")), b.next(1, time.Now(), f, msgOf("b"))
	got := make(chan any, 2)
	start := time.Now()
	go func() { got <- waitA() }()
	go func() { got <- waitB() }()
	time.Sleep(2 * time.Millisecond)
	f.Wrote()
	for range 2 {
		select {
		case m := <-got:
			if m != "a" && m != "b" {
				t.Fatalf("a flush delivered %v", m)
			}
		case <-time.After(frameInterval / 2):
			t.Fatal("a panel still waits after the flush")
		}
	}
	if waited := time.Since(start); waited > frameInterval/2 {
		t.Fatalf("the frames came %v after the flush, not at once", waited)
	}
	// Nothing written: the beat after the next flush, between one and two frames on.
	start = time.Now()
	if m := a.next(1, start, f, msgOf("beat"))(); m != "beat" {
		t.Fatalf("the beat delivered %v", m)
	}
	if waited := time.Since(start); waited < frameInterval {
		t.Fatalf("with no flush the frame came after %v, before the beat after the next flush", waited)
	}
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

// msgOf is a frame that is msg.
func msgOf(msg tea.Msg) func() tea.Msg { return func() tea.Msg { return msg } }
