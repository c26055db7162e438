package procwatch

import (
	"encoding/binary"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/timeline"
)

// nullObserver draws nothing: the benchmarks measure reading, not drawing.
type nullObserver struct{ rec *timeline.Recorder }

func (o nullObserver) Lane(_, _ int32, name string, _ bool) *timeline.Lane { return o.rec.Lane(name) }
func (nullObserver) Asleep(int32, int32, int64, Sleep) (timeline.State, int32) {
	return timeline.Idle, timeline.NoTask
}
func (nullObserver) Task(int32, int32, int64) int32 { return timeline.NoTask }

// BenchmarkSampleOneThread is the sampler's cost per thread per sample: what one
// reading of a live thread (schedstat, and stat when it ran) costs, this process's
// threads standing in for a watched program's. A 2-thread program is read about
// three threads a sample, a thousand samples a second.
func BenchmarkSampleOneThread(b *testing.B) {
	rec := timeline.NewRecorder(timeline.Meta{Model: "watch"})
	s := &Sampler{root: os.Getpid(), rec: rec, obs: nullObserver{rec}, procs: map[int32]*procThreads{},
		notOurs: map[int32]bool{}, lanes: map[[2]int32]*laneState{}, buf: make([]byte, 8192), seenPIDs: map[int32]bool{}}
	s.begin.Store(1<<63 - 1)
	s.adopt(int32(os.Getpid()))
	s.scanAllThreads()
	threads := s.threads
	b.ResetTimer()
	for i := range b.N {
		s.readAll(timeline.Now(), i)
		s.drawSettled(timeline.Now())
	}
	b.StopTimer()
	s.closeAll()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*max(threads, 1)), "ns/thread-sample")
}

// BenchmarkEventRecord is the event reader's cost per scheduler record of a watched
// thread: decoding a sched_switch sample and following it. Every switch on every
// core is a record, the tree's or not; others' records cost the decoding only.
func BenchmarkEventRecord(b *testing.B) {
	rec := timeline.NewRecorder(timeline.Meta{Model: "watch"})
	e := &eventReader{byID: map[uint64]int{372: 0}, tps: []tracepoint{{id: 372, fields: map[string]fieldAt{
		"prev_pid": {24, 4}, "prev_state": {32, 8}, "next_pid": {56, 4}}}}}
	e.sched = newSchedState(rec, nullObserver{rec}, e)
	e.sched.track(100, 100, false)
	e.sched.track(100, 101, false)
	body := make([]byte, 28+64)
	le := binary.LittleEndian
	le.PutUint32(body[24:], 64)
	raw := body[28:]
	le.PutUint16(raw, 372)
	b.ResetTimer()
	for i := range b.N {
		prev, next := int32(100+i%2), int32(101-i%2)
		le.PutUint32(body, 100)
		le.PutUint32(body[4:], uint32(prev))
		le.PutUint64(body[8:], uint64(i*1000))
		le.PutUint32(raw[24:], uint32(prev))
		le.PutUint32(raw[56:], uint32(next))
		r, ok := e.decode(body)
		if !ok {
			b.Fatal("not decoded")
		}
		e.sched.learn(&r)
		e.sched.apply(&r)
	}
}

// The observer's own cost is measured and reported: the sampler's thread CPU for a
// watch of a short sleeping program is positive and a small share of its wall time.
func TestObserverCostIsReported(t *testing.T) {
	for _, src := range sources(t) {
		t.Run(src, func(t *testing.T) {
			r := watchProgram(t, src, false, "sleep", "0.5")
			share := r.st.SamplerCPU.Seconds() / r.st.Wall.Seconds()
			t.Logf("observer %v over %v: %.1f %% of a core", r.st.SamplerCPU, r.st.Wall, 100*share)
			if r.st.SamplerCPU <= 0 || r.st.SamplerCPU > time.Duration(runtime.NumCPU())*r.st.Wall {
				t.Errorf("observer cost %v for %v", r.st.SamplerCPU, r.st.Wall)
			}
		})
	}
}
