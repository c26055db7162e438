package timeline

import (
	"sync"
	"testing"
)

// Appends past the ceiling are dropped and Full is closed, however many lanes race.
func TestRecorderCeiling(t *testing.T) {
	r := NewRecorder(Meta{})
	r.limit.init(10_000)
	var wg sync.WaitGroup
	for range 8 {
		l := r.Lane("w")
		wg.Go(func() {
			for i := range 5000 {
				l.Append(Event{T: int64(i)})
			}
		})
	}
	wg.Wait()
	total := 0
	for _, l := range r.Snapshot().Lanes {
		total += len(l.Events)
	}
	// Lanes take the budget in blocks, so a lane may die holding part of one.
	if total > 10_000 || total < 10_000-8*quotaBlock {
		t.Errorf("kept %d events, want at most the ceiling of 10000 and close to it", total)
	}
	select {
	case <-r.Full():
	default:
		t.Fatal("Full not closed after the ceiling")
	}
	if r.Err() != ErrTooManyEvents {
		t.Errorf("Err = %v", r.Err())
	}
}

func TestRecorderUnderCeiling(t *testing.T) {
	r := NewRecorder(Meta{})
	l := r.Lane("w")
	for i := range quotaBlock * 3 {
		l.Append(Event{T: int64(i)})
	}
	if r.Err() != nil || len(r.Snapshot().Lanes[0].Events) != quotaBlock*3 {
		t.Errorf("a recording under the ceiling lost events or reported %v", r.Err())
	}
}
