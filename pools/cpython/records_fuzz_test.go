package cpython

import (
	"testing"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// FuzzHandleRecord: whatever line the interpreter writes on the record pipe (a user's
// sitecustomize printing, a truncated write), handling it never panics, and a lane's
// events stay in time order.
func FuzzHandleRecord(f *testing.F) {
	for _, seed := range []string{
		"R 100", "B 0 10 11 200 5 c", "K 0 10 11 300 6 i", "E 0 10 11 400 7 150", "N 10 11 MainThread",
		"D 500", "X ValueError: boom", "B", "B 0 10 11 200 5", "E -1 -1 -1 -1 -1 -1", "N 1", "\x00\xff",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		rec := timeline.NewRecorder(timeline.Meta{})
		tr := newTracker(experiment.PyThreads, rec, false, 10)
		for _, l := range []string{"B 0 10 11 200 5 c", line, "E 0 10 11 400 7 150", line} {
			handle([]byte(l), tr, rec, nil)
		}
		for _, lane := range rec.Snapshot().Lanes {
			for i := 1; i < len(lane.Events); i++ {
				if lane.Events[i].T < lane.Events[i-1].T {
					t.Fatalf("lane %s out of order after %q", lane.Name, line)
				}
			}
		}
	})
}
