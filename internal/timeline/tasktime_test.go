package timeline

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// gilPair is two threads taking turns on one lock with one 100 ms task each: each task
// is inside the pool for 190 ms or 200 ms, twice its planned time alone.
func gilPair() *Trace {
	ev := func(t int64, st State, task int32) Event {
		return Event{T: t * ms, CPUTime: NoCPUTime, CPU: NoCPU, State: st, Task: task}
	}
	return &Trace{
		Meta:  Meta{Model: "gil", Workers: 2, Tasks: 2, Planned: []Planned{{Count: 2, Each: 100 * time.Millisecond}}},
		Begin: 0, End: 210 * ms,
		Lanes: []LaneData{
			{Name: "T1", Events: []Event{ev(0, Running, 0), ev(50, WaitGIL, 0), ev(100, Running, 0), ev(150, WaitGIL, 0), ev(200, Idle, NoTask)}},
			{Name: "T2", Events: []Event{ev(0, Idle, NoTask), ev(10, WaitGIL, 1), ev(50, Running, 1), ev(100, WaitGIL, 1), ev(150, Running, 1), ev(200, Off, NoTask)}},
		},
	}
}

func TestTaskTimesMeasureInsideThePoolAgainstPlanned(t *testing.T) {
	s := Compute(gilPair())
	// Task 0: 0–200 ms; task 1: 10–200 ms (its worker idled before taking it).
	if s.TaskWallMax != 200*time.Millisecond || s.TaskWallP50 != 195*time.Millisecond {
		t.Fatalf("task wall p50 %v max %v, want 195ms and 200ms", s.TaskWallP50, s.TaskWallMax)
	}
	if math.Abs(s.TaskSlowdownP50-1.95) > 1e-9 {
		t.Fatalf("slowdown p50 %.4f, want 1.95", s.TaskSlowdownP50)
	}
}

func TestTaskTimesUseEachGroupsPlannedTime(t *testing.T) {
	tr := gilPair()
	// Task 0 planned 200 ms (1.0×), task 1 planned 50 ms (3.8×): the median of two is 2.4.
	tr.Planned = []Planned{{Count: 1, Each: 200 * time.Millisecond}, {Count: 1, Each: 50 * time.Millisecond}}
	if got := Compute(tr).TaskSlowdownP50; math.Abs(got-2.4) > 1e-9 {
		t.Fatalf("slowdown p50 %.4f, want (1.0 + 3.8) / 2 = 2.4", got)
	}
	tr.Planned = nil // an imported trace from before planned times: no slowdown, still walls
	if s := Compute(tr); s.TaskSlowdownP50 != 0 || s.TaskWallMax != 200*time.Millisecond {
		t.Fatalf("without planned times: slowdown %.2f max %v, want 0 and 200ms", s.TaskSlowdownP50, s.TaskWallMax)
	}
}

func TestTaskTimesOfATaskThatCrossesLanes(t *testing.T) {
	// A task's input crosses a pipe on the parent's lane, then runs on the worker's.
	tr := &Trace{Meta: Meta{Planned: []Planned{{Count: 1, Each: 10 * time.Millisecond}}}, End: 40 * ms, Lanes: []LaneData{
		{Events: []Event{{T: 5 * ms, State: Transfer, Task: 0, CPUTime: NoCPUTime}, {T: 8 * ms, State: Idle, Task: NoTask, CPUTime: NoCPUTime}}},
		{Events: []Event{{T: 10 * ms, State: Running, Task: 0, CPUTime: NoCPUTime}, {T: 25 * ms, State: Idle, Task: NoTask, CPUTime: NoCPUTime}}},
	}}
	if s := Compute(tr); s.TaskWallP50 != 20*time.Millisecond || s.TaskSlowdownP50 != 2 {
		t.Fatalf("wall %v slowdown %.2f, want 20ms (5–25) and 2", s.TaskWallP50, s.TaskSlowdownP50)
	}
}

func TestOthersDisturbedAboveShareAfterSlack(t *testing.T) {
	for _, c := range []struct {
		o    Others
		want bool
	}{
		{Others{CPU: 150 * time.Millisecond, Cores: 2, Span: time.Second, Slack: 20 * time.Millisecond}, false}, // 130 ms after slack, under 10 % of 2 s
		{Others{CPU: 230 * time.Millisecond, Cores: 2, Span: time.Second, Slack: 20 * time.Millisecond}, true},  // 210 ms > 200 ms
		{Others{CPU: 220 * time.Millisecond, Cores: 2, Span: time.Second, Slack: 20 * time.Millisecond}, false}, // exactly 200 ms: not more
		{Others{CPU: 30 * time.Millisecond, Cores: 2, Span: 20 * time.Millisecond, Slack: 20 * time.Millisecond}, true},
		{Others{CPU: 20 * time.Millisecond, Cores: 2, Span: 20 * time.Millisecond, Slack: 20 * time.Millisecond}, false}, // within a tick: cannot tell
		{Others{CPU: time.Second}, false}, // nothing watched
	} {
		if got := c.o.Disturbed(); got != c.want {
			t.Errorf("%+v: disturbed %v, want %v (share %.2f)", c.o, got, c.want, c.o.Share())
		}
	}
}

func TestOthersTravelFromRecorderToJSON(t *testing.T) {
	rec := NewRecorder(Meta{Model: "threads"})
	rec.Finish(rec.Snapshot().Begin + int64(time.Second))
	var out map[string]any
	data, _ := json.Marshal(Compute(rec.Snapshot()))
	json.Unmarshal(data, &out)
	if v, ok := out["others_cpu_s"]; !ok || v != nil || out["disturbed"] != false {
		t.Fatalf("unmeasured: others_cpu_s %v (present %v) disturbed %v, want null and false", v, ok, out["disturbed"])
	}
	rec.SetOthers(Others{CPU: 700 * time.Millisecond, Cores: 2, Span: time.Second, Slack: 20 * time.Millisecond})
	s := Compute(rec.Snapshot())
	data, _ = json.Marshal(s)
	json.Unmarshal(data, &out)
	if out["others_cpu_s"] != 0.7 || out["disturbed"] != true || !s.Disturbed {
		t.Fatalf("measured: others_cpu_s %v disturbed %v, want 0.7 and true", out["others_cpu_s"], out["disturbed"])
	}
	if v := s.Values()["others_cpu_s"]; v != 0.7 {
		t.Fatalf("Values others_cpu_s %v, want 0.7", v)
	}
}

func TestOthersSurviveChromeExport(t *testing.T) {
	tr := gilPair()
	tr.Others = &Others{CPU: 300 * time.Millisecond, Cores: 2, Span: time.Second, Slack: 20 * time.Millisecond}
	data, err := MarshalChrome(tr)
	if err != nil {
		t.Fatal(err)
	}
	back, err := UnmarshalChrome(data)
	if err != nil {
		t.Fatal(err)
	}
	if back.Others == nil || *back.Others != *tr.Others || len(back.Planned) != 1 || back.Planned[0] != tr.Planned[0] {
		t.Fatalf("after export and import: others %+v planned %+v", back.Others, back.Planned)
	}
	if s := Compute(back); !s.Disturbed || math.Abs(s.TaskSlowdownP50-1.95) > 1e-9 {
		t.Fatalf("imported: disturbed %v slowdown %.3f", s.Disturbed, s.TaskSlowdownP50)
	}
}

func TestPlannedTimesFindEachTasksGroup(t *testing.T) {
	pt := newPlannedTimes([]Planned{{Count: 2, Each: 10}, {Count: -5, Each: 99}, {Count: 0, Each: 98}, {Count: 3, Each: 20}})
	for i, want := range []time.Duration{10, 10, 20, 20, 20, 0} {
		if got := pt.of(i); got != want {
			t.Errorf("task %d: planned %v, want %v", i, got, want)
		}
	}
	if pt.of(-1) != 0 {
		t.Error("task -1 has no planned time")
	}
}

// BenchmarkComputeManyTasks measures a finished run of 100,000 tasks on 10 lanes, 3
// events a task: Compute runs once per run, when it ends.
func BenchmarkComputeManyTasks(b *testing.B) {
	const tasks, lanes = 100_000, 10
	tr := &Trace{Meta: Meta{Tasks: tasks, Planned: []Planned{{Count: tasks, Each: time.Millisecond}}}, Lanes: make([]LaneData, lanes)}
	for i := range tasks {
		l := &tr.Lanes[i%lanes]
		t0 := int64(i/lanes) * 3 * ms
		l.Events = append(l.Events,
			Event{T: t0, State: WaitGIL, Task: int32(i), CPUTime: NoCPUTime},
			Event{T: t0 + ms, State: Running, Task: int32(i), CPUTime: NoCPUTime},
			Event{T: t0 + 2*ms, State: Idle, Task: NoTask, CPUTime: NoCPUTime})
	}
	tr.End = int64(tasks/lanes) * 3 * ms
	b.ResetTimer()
	for b.Loop() {
		if s := Compute(tr); s.TaskSlowdownP50 != 2 {
			b.Fatalf("slowdown %.2f, want 2", s.TaskSlowdownP50)
		}
	}
}

// Median selects what a sort would find in the middle, for any order, length and run
// of equal values, and selectNth leaves nothing greater before its k and nothing
// smaller after it.
func TestMedianSelectsAsASortWould(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 1; n <= 300; n++ {
		for _, shape := range []string{"random", "sorted", "reversed", "few values"} {
			v := make([]float64, n)
			for i := range v {
				switch shape {
				case "random":
					v[i] = rng.Float64()
				case "sorted":
					v[i] = float64(i)
				case "reversed":
					v[i] = float64(n - i)
				case "few values":
					v[i] = float64(rng.IntN(3))
				}
			}
			sorted := slices.Sorted(slices.Values(v))
			want := sorted[n/2]
			if n%2 == 0 {
				want = (sorted[n/2-1] + sorted[n/2]) / 2
			}
			if got := Median(slices.Clone(v)); got != want {
				t.Fatalf("%s, %d values: median %v, want %v", shape, n, got, want)
			}
			k := rng.IntN(n)
			s := slices.Clone(v)
			if got := selectNth(s, k); got != sorted[k] || slices.Max(s[:k+1]) != s[k] || slices.Min(s[k:]) != s[k] {
				t.Fatalf("%s, %d values: selectNth(%d) = %v, want %v, and partitioned around it", shape, n, k, got, sorted[k])
			}
		}
	}
}

// Futures cancelled before they started did no work: the speed-up is the work that
// ran over the wall, not the whole plan's (six of eight cancelled had read 8×).
func TestCancelledBeforeStartingIsNoWork(t *testing.T) {
	tr := &Trace{
		Meta:  Meta{Model: "threads", Workers: 2, Tasks: 8, IdealSerial: 800 * time.Millisecond, Planned: []Planned{{Count: 8, Each: 100 * time.Millisecond}}},
		Begin: 1, End: 1 + 100*ms,
	}
	for task := range int32(8) {
		r := Result{Task: task, Outcome: Cancelled, Submit: 1, End: 1 + 5*ms}
		if task < 2 {
			r.Outcome, r.Start, r.End = Done, 1, 1+100*ms
		}
		tr.Results = append(tr.Results, r)
	}
	s := Compute(tr)
	if s.IdealSerial != 200*time.Millisecond || math.Abs(s.Speedup-2) > 1e-9 {
		t.Fatalf("ideal serial %v, speedup %.2f; want the two tasks that ran: 200ms, 2.00", s.IdealSerial, s.Speedup)
	}
}
