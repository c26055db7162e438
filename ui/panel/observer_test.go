package panel

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/internal/uitest"
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
	ms := time.Millisecond
	at := func(cpu, wall time.Duration) reading {
		return reading{cpu: cpu, at: time.Unix(0, 0).Add(wall), taken: true}
	}
	o := newObserver(uitest.SteadyMeter{})
	o.start()
	base := at(0, 0)            // read before the run began
	o.sample(reading{})         // a frame before the engine began: nothing was read
	o.sample(at(19*ms, 100*ms)) // the first frame of the begun run: 19 ms of setting up before it
	o.sample(at(34*ms, 600*ms)) // a window later: 15 ms drawing 500 ms
	o.sample(at(49*ms, 1100*ms))
	o.finish(base, at(69*ms, 1300*ms)) // the run has ended: the engine's 20 ms of ending it are left out
	if share, ok := o.Share(); !ok || share != 0.03 {
		t.Errorf("share %v (ok %v), want 0.03: 30 ms over the 1 s between the first frame and the last window", share, ok)
	}
	short := newObserver(uitest.SteadyMeter{})
	short.start()
	short.finish(base, at(10*ms, 200*ms)) // over before its first frame: measured whole
	if share, ok := short.Share(); !ok || share != 0.05 {
		t.Errorf("a run over before its first frame: share %v (ok %v), want 0.05", share, ok)
	}
}

// TestObserverReadsWhenDue: a frame's command reads the meter at the first frame after
// the run has begun, then once a window; never for a run that is not measured.
func TestObserverReadsWhenDue(t *testing.T) {
	clock := time.Unix(0, 0)
	o := newObserver(&scriptedMeter{cpu: []time.Duration{1, 2, 3}})
	o.now = func() time.Time { return clock }
	o.start()
	notBegun, begun := []*timeline.Trace{{}}, []*timeline.Trace{{Begin: 1}}
	if o.frameReader()(notBegun).taken {
		t.Error("read before the engine began the run")
	}
	first := o.frameReader()(begun)
	if !first.taken {
		t.Fatal("no reading at the first frame of the begun run")
	}
	o.sample(first)
	clock = clock.Add(observerWindow / 2)
	if o.frameReader()(begun).taken {
		t.Error("read again within a window")
	}
	clock = clock.Add(observerWindow / 2)
	if !o.frameReader()(begun).taken {
		t.Error("no reading a window on")
	}
	o.skip()
	if o.frameReader() != nil {
		t.Error("a simulated run's frames read the meter")
	}
}

// countingMeter counts its reads.
type countingMeter struct{ reads atomic.Int64 }

func (m *countingMeter) Read([]*timeline.Trace) (time.Duration, bool) {
	m.reads.Add(1)
	return 0, true
}

// TestPanelUpdateReadsNoMeter: the panel's Update never reads the observer's meter
// (it lists this process's threads): the tick's command does, and Update draws it.
func TestPanelUpdateReadsNoMeter(t *testing.T) {
	gate := make(chan struct{})
	defer close(gate)
	m := &countingMeter{}
	c := uitest.Common(&uitest.Runner{Gate: gate})
	c.CPUMeter = m
	p := NewRunPanel(c)
	p.SetSize(80, 20)
	p.SetRuns([]experiment.Spec{{Model: experiment.Threads, Workers: 2, Tasks: uitest.Tasks(t, "4*cpu(10ms)")}})
	p.Run()
	for deadline := time.Now().Add(5 * time.Second); m.reads.Load() == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the run's goroutine never read the meter before the run")
		}
	}
	before := m.reads.Load()
	next := p.Update(panelTickMsg{id: p.id, gen: p.gen})
	if m.reads.Load() != before || next == nil {
		t.Fatalf("Update read the meter (%d reads, %d before), or stopped ticking", m.reads.Load(), before)
	}
	msg := next().(panelTickMsg) // the command: the snapshot of the begun run, and a reading
	if m.reads.Load() != before+1 || !msg.reading.taken || len(msg.traces) == 0 {
		t.Fatalf("the tick's command did not read the meter with its snapshot: %d reads, %+v", m.reads.Load()-before, msg.reading)
	}
	p.Update(msg)
	if m.reads.Load() != before+1 || !p.obs.live {
		t.Errorf("Update did not take the command's reading as the run's first frame")
	}
	p.Stop()
}
