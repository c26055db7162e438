package panel

import (
	"testing"
	"time"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// liveTrace is a 2-worker run of cpu(150ms) tasks with a few idle gaps, as far as at.
func liveTrace(at time.Duration) *timeline.Trace {
	t := &timeline.Trace{Meta: timeline.Meta{Model: "processes", Workers: 2, Cores: 2, Tasks: 16, IdealSerial: 16 * 150 * time.Millisecond},
		Begin: 1_000_000, Live: true}
	t.End = t.Begin + int64(at)
	for w := range 2 {
		l := timeline.LaneData{Name: "worker " + string(rune('1'+w))}
		for i, now := 0, t.Begin; now < t.End && i < 8; i++ {
			l.Events = append(l.Events, timeline.Event{T: now, State: timeline.Transfer, Task: int32(2*i + w), CPU: int16(w), CPUTime: -1})
			l.Events = append(l.Events, timeline.Event{T: now + 70_000, State: timeline.Running, Task: int32(2*i + w), CPU: int16(w), CPUTime: -1})
			now += int64(150 * time.Millisecond)
			l.Events = append(l.Events, timeline.Event{T: now, State: timeline.Idle, Task: -1, CPU: int16(w), CPUTime: -1})
			now += 200_000
		}
		t.Lanes = append(t.Lanes, l)
	}
	return t
}

// BenchmarkLiveFrame is one frame of the lab drawing a live 2-worker run at 100×30:
// the panel's own work per tick (snapshot excluded), as the live run advances.
func BenchmarkLiveFrame(b *testing.B) {
	p := NewRunPanel(uitest.Common(nil))
	p.SetSize(100, 30)
	p.state = panelRunning
	benchLiveFrames(b, func(traces []*timeline.Trace) {
		p.traces = traces
		p.render()
	})
}

// benchLiveFrames calls draw with the frames of a live 2-worker run in turn, as it
// advances, and reports the CPU time a frame took: what a frame costs the learner's
// machine, and steadier than wall time on a shared one.
func benchLiveFrames(b *testing.B, draw func(traces []*timeline.Trace)) {
	frames := make([]*timeline.Trace, 36)
	for i := range frames {
		frames[i] = liveTrace(time.Duration(i+1) * frameInterval)
	}
	i := 0
	b.ReportAllocs()
	cpu0 := uitest.ProcessCPUNow()
	for b.Loop() {
		k := i % len(frames)
		draw(frames[k : k+1])
		i++
	}
	b.ReportMetric(float64(uitest.ProcessCPUNow()-cpu0)/float64(b.N), "cpu-ns/op")
}

// BenchmarkObserverRead is one reading of the observer's CPU: /proc/self/task listed
// and each thread's clock read. It runs twice a second while a run is live.
func BenchmarkObserverRead(b *testing.B) {
	m := newObserverMeter()
	for b.Loop() {
		m.Read(nil)
	}
}
