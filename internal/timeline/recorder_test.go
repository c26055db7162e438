package timeline

import (
	"sync"
	"testing"
	"time"
)

// TestSnapshotsWhileWriting has writers append while a reader snapshots, as the TUI
// does at 30 fps; under -race this is the recorder's concurrency check. Every snapshot
// must be a time-ordered prefix of what the writer appended.
func TestSnapshotsWhileWriting(t *testing.T) {
	rec := NewRecorder(Meta{Model: "threads", Workers: 4})
	const writers, perWriter = 4, 20_000
	var wg sync.WaitGroup
	for w := range writers {
		lane := rec.Lane("T")
		wg.Go(func() {
			for i := range perWriter {
				lane.Append(Event{T: int64(i), Task: int32(w), State: Running})
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	for snapping := true; snapping; {
		select {
		case <-done:
			snapping = false
		default:
		}
		for _, l := range rec.Snapshot().Lanes {
			for i, e := range l.Events {
				if e.T != int64(i) {
					t.Fatalf("lane %s event %d has T %d: a snapshot must be a prefix", l.Name, i, e.T)
				}
			}
		}
	}
	for _, l := range rec.Snapshot().Lanes {
		if len(l.Events) != perWriter {
			t.Fatalf("lane has %d events, want %d", len(l.Events), perWriter)
		}
	}
}

func TestAppendKeepsLaneInTimeOrder(t *testing.T) {
	rec := NewRecorder(Meta{})
	l := rec.Lane("worker 1")
	l.Append(Event{T: 100})
	l.Append(Event{T: 90}) // a child's clock read a little before the parent's
	if got := rec.Snapshot().Lanes[0].Events[1].T; got != 100 {
		t.Fatalf("late event moved to %d, want 100", got)
	}
}

func TestSnapshotIsLiveUntilFinished(t *testing.T) {
	rec := NewRecorder(Meta{})
	rec.Begin(1000)
	if tr := rec.Snapshot(); !tr.Live || tr.End < tr.Begin {
		t.Fatalf("before Finish: live=%v begin=%d end=%d", tr.Live, tr.Begin, tr.End)
	}
	rec.Finish(5000)
	rec.Finish(9000) // the first end stands
	if tr := rec.Snapshot(); tr.Live || tr.End != 5000 {
		t.Fatalf("after Finish: live=%v end=%d, want ended at 5000", tr.Live, tr.End)
	}
}

// BenchmarkAppend2Writers is the "Recorder append ≤ 200 ns with 2 writers":
// two goroutines append to their own lanes of one recorder at once. A lane is
// retired, with a recorder of its own, after a million events (the size of the
// largest traces the renderer is held to): without that, b.N of 50 M grows one slice
// to gigabytes and the benchmark measures copying those, which no run does.
func BenchmarkAppend2Writers(b *testing.B) {
	const laneCap = 1 << 20
	rec := NewRecorder(Meta{})
	b.SetParallelism(1) // GOMAXPROCS goroutines; on this machine, two
	b.RunParallel(func(pb *testing.PB) {
		lane := rec.Lane("T")
		i := int64(0)
		for pb.Next() {
			if i++; i%laneCap == 0 {
				lane = NewRecorder(Meta{}).Lane("T")
			}
			lane.Append(Event{T: i, State: Running})
		}
	})
}

func BenchmarkSnapshot(b *testing.B) {
	rec := NewRecorder(Meta{})
	for range 16 {
		l := rec.Lane("T")
		for i := range 60_000 {
			l.Append(Event{T: int64(i)})
		}
	}
	b.ResetTimer()
	for b.Loop() {
		rec.Snapshot()
	}
	b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(time.Microsecond), "µs/snapshot")
}
