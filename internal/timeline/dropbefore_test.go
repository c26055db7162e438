package timeline

import "testing"

// DropBefore keeps each lane's state at t, its CPU clock read in proportion, and
// drops a lane that was over by then; a snapshot taken before keeps its events.
func TestDropBefore(t *testing.T) {
	r := NewRecorder(Meta{})
	busy, gone := r.Lane("busy"), r.Lane("gone")
	busy.Append(Event{T: 0, State: Idle, CPUTime: 0})
	busy.Append(Event{T: 100, State: Running, CPUTime: 0})
	busy.Append(Event{T: 300, State: Idle, CPUTime: 200})
	gone.Append(Event{T: 0, State: Running, CPUTime: 0})
	gone.Append(Event{T: 50, State: Off, CPUTime: 50})
	before := r.Snapshot()
	r.DropBefore(200)
	after := r.Snapshot()
	want := []Event{{T: 200, State: Running, CPUTime: 100}, {T: 300, State: Idle, CPUTime: 200}}
	if got := after.Lanes[0].Events; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("busy lane after DropBefore(200): %+v, want %+v", got, want)
	}
	if len(after.Lanes) != 1 {
		t.Errorf("a lane over at 50 is still there: %d lanes", len(after.Lanes))
	}
	if len(before.Lanes[0].Events) != 3 || before.Lanes[0].Events[0].T != 0 {
		t.Errorf("the earlier snapshot changed: %+v", before.Lanes[0].Events)
	}
}
