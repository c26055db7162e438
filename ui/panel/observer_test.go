package panel

import (
	"testing"
	"time"

	"github.com/coreography/coreography/internal/timeline"
)

// A lane is made before its first event (a thread the sampler has just found), so a
// live frame can see it empty; reading worker threads from it must not panic.
func TestWorkerThreadsOfAnEmptyLane(t *testing.T) {
	rec := timeline.NewRecorder(timeline.Meta{Model: "py-threads", Workers: 1})
	rec.Lane("T1")
	if tids := workerThreads([]*timeline.Trace{rec.Snapshot()}); len(tids) != 0 {
		t.Fatalf("an empty lane gave worker threads %v", tids)
	}
}

// scriptedMeter reads the observer's CPU from a script, a reading a call.
type scriptedMeter struct{ cpu []time.Duration }

func (m *scriptedMeter) Read([]*timeline.Trace) (time.Duration, bool) {
	c := m.cpu[0]
	m.cpu = m.cpu[1:]
	return c, true
}

// TestObserverMeasuresTheLiveRun: the figure covers the run from its first frame after
// the engine began it to its last window, so the engine's setting up (threads, the
// /proc scan) and ending are not counted as watching, while every window between is.
func TestObserverMeasuresTheLiveRun(t *testing.T) {
	clock := time.Unix(0, 0)
	ms := time.Millisecond
	o := observer{now: func() time.Time { return clock }, meter: &scriptedMeter{cpu: []time.Duration{
		0,       // start: nothing begun yet
		19 * ms, // the first frame of the begun run: 19 ms of setting up before it
		34 * ms, // a window later: 15 ms drawing 500 ms
		49 * ms, // another: 15 ms more
		69 * ms, // the run has ended: 20 ms more, the engine's ending it
	}}}
	o.start()
	notBegun := []*timeline.Trace{{}}
	begun := []*timeline.Trace{{Begin: 1}}
	clock = clock.Add(50 * ms)
	o.sample(notBegun) // no reading: the engine is still setting up
	clock = clock.Add(50 * ms)
	o.sample(begun)
	for range 2 {
		clock = clock.Add(observerWindow)
		o.sample(begun)
	}
	clock = clock.Add(200 * ms) // the run ends; the engine's 20 ms of ending are not read
	o.finish(begun)
	if share, ok := o.Share(); !ok || share != 0.03 {
		t.Errorf("share %v (ok %v), want 0.03: 30 ms over the 1 s between the first frame and the last window", share, ok)
	}
}
