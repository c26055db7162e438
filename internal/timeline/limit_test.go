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

// Issue 28 #6: the budget is the run's, not a block a lane: 1,280 lanes (1,024 workers
// and 256 cores) of 100 events each fit in a budget of twice what they record.
func TestHostile06ManyLanesShareTheBudget(t *testing.T) {
	const lanes, each = 1280, 100
	r := NewRecorder(Meta{})
	r.limit.init(2 * lanes * each)
	for range lanes {
		l := r.Lane("w")
		for i := range each {
			l.Append(Event{T: int64(i)})
		}
	}
	if r.Err() != nil {
		t.Fatalf("%d lanes of %d events spent a budget of %d: %v", lanes, each, 2*lanes*each, r.Err())
	}
	total := 0
	for _, l := range r.Snapshot().Lanes {
		total += len(l.Events)
	}
	if total != lanes*each {
		t.Errorf("kept %d events of %d", total, lanes*each)
	}
}
