package procwatch

import (
	"testing"
	"time"
)

// Unseen CPU goes where the cores were busy beyond what the lanes hold, in proportion.
func TestPlaceUnseenFollowsTheUnexplainedBusyTime(t *testing.T) {
	ms := time.Millisecond
	busy := map[int]time.Duration{0: 500 * ms, 1: 300 * ms, 2: 100 * ms}
	drawn := map[int]time.Duration{0: 200 * ms, 1: 200 * ms, 2: 150 * ms} // core 2: the lanes over-explain it
	got := placeUnseen(400*ms, busy, drawn)
	want := map[int]int64{0: int64(300 * ms), 1: int64(100 * ms)} // 3 : 1 of 400 ms
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("placed %v, want %v", got, want)
	}
}

func TestPlaceUnseenWithNothingToPlaceBy(t *testing.T) {
	busy := map[int]time.Duration{0: time.Second}
	if got := placeUnseen(time.Second, busy, busy); got != nil {
		t.Errorf("the lanes explain every core's busy time, yet %v was placed", got)
	}
	if got := placeUnseen(0, busy, nil); got != nil {
		t.Errorf("nothing unseen, yet %v was placed", got)
	}
}
