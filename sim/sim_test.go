package sim

import (
	"bytes"
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// simulate runs spec (on the cpython profile unless it names one) and returns its trace.
func simulate(t testing.TB, spec experiment.Spec, notation string) *timeline.Trace {
	t.Helper()
	tasks, err := experiment.ParseTasks(notation)
	if err != nil {
		t.Fatal(err)
	}
	spec.Tasks, spec.Sim = tasks, true
	if spec.Profile == "" {
		spec.Profile = "cpython"
	}
	rec := timeline.NewRecorder(spec.Meta())
	if err := New(nil).Run(context.Background(), spec, rec); err != nil {
		t.Fatalf("%v: %v", spec, err)
	}
	tr := rec.Snapshot()
	if tr.TasksDone != int64(tasks.Count()) {
		t.Fatalf("%v: %d of %d tasks done", spec, tr.TasksDone, tasks.Count())
	}
	for _, l := range tr.Lanes {
		if len(l.Events) == 0 || l.Events[len(l.Events)-1].State != timeline.Off {
			t.Errorf("%v: lane %s does not end off", spec, l.Name)
		}
		for i := 1; i < len(l.Events); i++ {
			if l.Events[i].T < l.Events[i-1].T || l.Events[i].CPUTime < l.Events[i-1].CPUTime {
				t.Errorf("%v: lane %s goes back in time at event %d", spec, l.Name, i)
			}
		}
	}
	return tr
}

func near(got, want, rel float64) bool { return math.Abs(got-want) <= rel*math.Abs(want) }

// TestFigures checks the model against what its rules imply, and against CPython's
// figures in the curriculum for the cpython profile.
func TestFigures(t *testing.T) {
	ms := time.Millisecond
	for _, c := range []struct {
		spec                experiment.Spec
		tasks               string
		wall, par, switches float64 // 0: not checked
	}{
		{experiment.Spec{Model: experiment.Serial}, "8*cpu(100ms)", 0.8, 1, 0},
		{experiment.Spec{Model: experiment.Threads, Workers: 2, Cores: 2}, "8*cpu(100ms)", 0.4, 2, 0},
		{experiment.Spec{Model: experiment.Threads, Workers: 2, Cores: 1}, "8*cpu(100ms)", 0.8, 1, 0},
		{experiment.Spec{Model: experiment.Threads, Workers: 64, Cores: 64}, "64*cpu(100ms)", 0.1, 64, 0},
		{experiment.Spec{Model: experiment.GIL, Workers: 2, Cores: 2}, "8*cpu(100ms)", 0.8, 1, 192},
		// Each hand-off is ~0.1 ms in which no thread runs: 0.8 s of work plus ~700 of them.
		{experiment.Spec{Model: experiment.GIL, Workers: 2, Cores: 2, SwitchInterval: ms}, "8*cpu(100ms)", 0.873, 0.917, 833},
		{experiment.Spec{Model: experiment.GIL, Workers: 2, Cores: 2}, "cpu(300ms), 30*[io(5ms) cpu(100us)]", 0.309, 0, 0},
		{experiment.Spec{Model: experiment.GIL, Workers: 1, Cores: 2}, "30*[io(5ms) cpu(100us)]", 0.156, 0, 0},
		{experiment.Spec{Model: experiment.Threads, Workers: 10, Cores: 2}, "50*io(50ms)", 0.253, 0, 0},
		{experiment.Spec{Model: experiment.Asyncio}, "50*io(50ms)", 0.051, 0, 0},
		// The curriculum's ~150 µs a task (114–180 across runs) at chunk size 1: the parent's
		// 75 µs a chunk shares the two cores with the workers' 73 µs, ~160 µs a task each.
		{experiment.Spec{Model: experiment.Processes, Workers: 2, Cores: 2, ChunkSize: 1}, "1000*cpu(0ns)", 0.160 * 1000 / 2 / 1000, 0, 0},
		{experiment.Spec{Model: experiment.Processes, Workers: 16, Cores: 16}, "cpu(200ms) then 16*cpu(100ms)", 0.3, 0, 0},
	} {
		st := timeline.Compute(simulate(t, c.spec, c.tasks))
		if c.wall > 0 && !near(st.Wall.Seconds(), c.wall, 0.1) {
			t.Errorf("%v %s: wall %.3fs, want %.3fs ±10%%", c.spec, c.tasks, st.Wall.Seconds(), c.wall)
		}
		if c.par > 0 && !near(st.Parallelism, c.par, 0.05) {
			t.Errorf("%v %s: parallelism %.2f, want %.2f", c.spec, c.tasks, st.Parallelism, c.par)
		}
		if c.switches > 0 && !near(st.GILSwitchesPerS, c.switches, 0.05) {
			t.Errorf("%v %s: %.0f GIL switches/s, want %.0f", c.spec, c.tasks, st.GILSwitchesPerS, c.switches)
		}
	}
}

// TestSixtyFourCores is the run: 64 processes on 64 cores keep 50 or more busy.
func TestSixtyFourCores(t *testing.T) {
	st := timeline.Compute(simulate(t, experiment.Spec{Model: experiment.Processes, Workers: 64, Cores: 64}, "1000*cpu(10ms)"))
	if st.Parallelism < 50 {
		t.Errorf("parallelism %.1f on 64 cores, want ≥ 50", st.Parallelism)
	}
}

// TestGILRunsOneThreadAtATime: whatever the mix, no two lanes compute at once.
func TestGILRunsOneThreadAtATime(t *testing.T) {
	tr := simulate(t, experiment.Spec{Model: experiment.GIL, Workers: 4, Cores: 4, SwitchInterval: time.Millisecond},
		"6*[cpu(3ms) io(1ms) cpu(3ms)], 4*http(2ms), cpu(20ms) then 3*cpu(5ms)")
	type span struct{ from, to int64 }
	var running []span
	for _, l := range tr.Lanes {
		l.Spans(tr.Begin, tr.End, func(s timeline.Span) bool {
			if s.State == timeline.Running && s.End > s.Start {
				running = append(running, span{s.Start, s.End})
			}
			return true
		})
	}
	slices.SortFunc(running, func(a, b span) int { return int(a.from - b.from) })
	for i := 1; i < len(running); i++ {
		if running[i].from < running[i-1].to {
			t.Fatalf("two threads ran at once: %v and %v", running[i-1], running[i])
		}
	}
}

// TestOversubscribedThreadsTakeTurns: more threads than cores share them in slices.
func TestOversubscribedThreadsTakeTurns(t *testing.T) {
	tr := simulate(t, experiment.Spec{Model: experiment.Threads, Workers: 4, Cores: 1}, "4*cpu(30ms)")
	st := timeline.Compute(tr)
	preempted := 0
	for _, l := range tr.Lanes {
		for _, e := range l.Events {
			if e.State == timeline.Preempted {
				preempted++
			}
		}
	}
	if preempted < 4*int(30*time.Millisecond/CPython.Slice(1))/2 || !near(st.Wall.Seconds(), 0.12, 0.05) || !near(st.Parallelism, 1, 0.05) {
		t.Errorf("4 threads on 1 core: %d preemptions, wall %v, parallelism %.2f", preempted, st.Wall, st.Parallelism)
	}
	if cores := tr.CoreLanes(); len(cores) != 1 {
		t.Errorf("%d core lanes on a 1-core machine", len(cores))
	}
}

// TestSameSpecSameTrace: a model run is the same, byte for byte, every time.
func TestSameSpecSameTrace(t *testing.T) {
	for _, c := range []struct {
		spec  experiment.Spec
		tasks string
	}{
		{experiment.Spec{Model: experiment.GIL, Workers: 3, Cores: 2}, "cpu(30ms), 20*[io(2ms) cpu(100us)]"},
		{experiment.Spec{Model: experiment.Processes, Workers: 8, Cores: 4, ChunkSize: 3}, "100*cpu(1ms) in=10KB out=1KB"},
		{experiment.Spec{Model: experiment.Processes, Workers: 3, Fresh: true}, "cpu(5ms) then 6*cpu(2ms)"},
		{experiment.Spec{Model: experiment.Asyncio}, "200*[io(1ms) cpu(10us) http(2ms)]"},
	} {
		a, err := timeline.MarshalChrome(simulate(t, c.spec, c.tasks))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := timeline.MarshalChrome(simulate(t, c.spec, c.tasks))
		if !bytes.Equal(a, b) {
			t.Errorf("%v %s: two runs gave different traces", c.spec, c.tasks)
		}
	}
}

// TestSaysItIsAModel: title, lanes, stats and the Perfetto export all say sim.
func TestSaysItIsAModel(t *testing.T) {
	tr := simulate(t, experiment.Spec{Model: experiment.Threads, Workers: 2, Cores: 2, Name: "demo"}, "4*cpu(1ms)")
	if !strings.Contains(tr.Name, "SIMULATED") || !strings.Contains(tr.Name, "cpython") || tr.Source != timeline.SourceSim {
		t.Errorf("title %q, source %q", tr.Name, tr.Source)
	}
	for _, l := range tr.Lanes {
		if !strings.HasSuffix(l.Name, "· sim") {
			t.Errorf("lane %q does not say sim", l.Name)
		}
	}
	js, _ := timeline.Compute(tr).MarshalJSON()
	chrome, _ := timeline.MarshalChrome(tr)
	for what, data := range map[string][]byte{"--json": js, "perfetto": chrome} {
		if !bytes.Contains(data, []byte(`"source":"sim"`)) || !bytes.Contains(data, []byte(`"profile":"cpython"`)) {
			t.Errorf("%s lacks source and profile: %s", what, data[:min(len(data), 300)])
		}
	}
}

// TestPhasesWaitInTheModel: no task of a later phase starts before the earlier ends.
func TestPhasesWaitInTheModel(t *testing.T) {
	for _, spec := range []experiment.Spec{
		{Model: experiment.Threads, Workers: 4, Cores: 4},
		{Model: experiment.GIL, Workers: 4, Cores: 4},
		{Model: experiment.Processes, Workers: 4, Cores: 4},
		{Model: experiment.Processes, Workers: 4, Cores: 4, Fresh: true},
		{Model: experiment.Asyncio},
	} {
		tr := simulate(t, spec, "2*cpu(10ms), io(5ms) then 6*[io(2ms) cpu(2ms)]")
		var lastFirst, firstSecond int64 = 0, math.MaxInt64
		for _, l := range tr.Lanes {
			for i, e := range l.Events {
				if e.Task < 0 || e.State == timeline.Idle || e.State == timeline.Off {
					continue
				}
				end := tr.End
				if i+1 < len(l.Events) {
					end = l.Events[i+1].T
				}
				if e.Task < 3 {
					lastFirst = max(lastFirst, end)
				} else {
					firstSecond = min(firstSecond, e.T)
				}
			}
		}
		if firstSecond < lastFirst {
			t.Errorf("%v: the second phase began at %d, before the first ended at %d", spec.Model, firstSecond, lastFirst)
		}
	}
}

func TestCancelledRunStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tasks, _ := experiment.ParseTasks("100000*cpu(100us)")
	spec := experiment.Spec{Model: experiment.Threads, Workers: 8, Cores: 8, Tasks: tasks, Sim: true, Profile: "cpython"}
	rec := timeline.NewRecorder(spec.Meta())
	if err := New(nil).Run(ctx, spec, rec); err != context.Canceled {
		t.Errorf("cancelled run returned %v", err)
	}
}

func TestUnknownProfile(t *testing.T) {
	tasks, _ := experiment.ParseTasks("cpu(1ms)")
	spec := experiment.Spec{Model: experiment.Threads, Tasks: tasks, Sim: true, Profile: "pypy"}
	err := New(nil).Run(context.Background(), spec, timeline.NewRecorder(spec.Meta()))
	if err == nil || !strings.Contains(err.Error(), `"pypy"`) {
		t.Errorf("unknown profile: %v", err)
	}
}

// A model run that fills the recorder ends with the recorder's error, as a real run
// does, instead of dropping events in silence.
func TestEventCeilingEndsTheRun(t *testing.T) {
	tasks, err := experiment.ParseTasks("10000*cpu(1ms)")
	if err != nil {
		t.Fatal(err)
	}
	spec := experiment.Spec{Model: experiment.GIL, Workers: 4, Tasks: tasks, Sim: true, Profile: "cpython"}
	rec := timeline.NewRecorderLimit(spec.Meta(), 5000)
	if err := New(nil).Run(context.Background(), spec, rec); err != timeline.ErrTooManyEvents {
		t.Fatalf("got %v, want ErrTooManyEvents", err)
	}
}

// TestTheParentReapsEveryWorker: a run ends once the parent has reaped its last
// worker, ProcExit after that worker went off, and a fresh slot starts its next
// process only after it reaped the last one.
func TestTheParentReapsEveryWorker(t *testing.T) {
	const exit = 3 * time.Millisecond
	prof := CPython
	prof.Name, prof.ProcExit = "slow-exit", exit
	model := New(func(string) (Profile, bool, error) { return prof, true, nil })
	tasks, err := experiment.ParseTasks("6*cpu(10ms)")
	if err != nil {
		t.Fatal(err)
	}
	for _, fresh := range []bool{false, true} {
		spec := experiment.Spec{Model: experiment.Processes, Workers: 2, Cores: 2, Fresh: fresh, Sim: true, Profile: prof.Name, Tasks: tasks}
		rec := timeline.NewRecorder(spec.Meta())
		if err := model.Run(context.Background(), spec, rec); err != nil {
			t.Fatal(err)
		}
		tr := rec.Snapshot()
		lastOff := int64(0)
		for _, l := range tr.Lanes {
			lastOff = max(lastOff, l.Events[len(l.Events)-1].T)
			for i := 1; i < len(l.Events); i++ {
				if e, prev := l.Events[i], l.Events[i-1]; fresh && e.State == timeline.Starting && prev.State == timeline.Off && time.Duration(e.T-prev.T) < exit {
					t.Errorf("fresh: lane %s starts a process %v after the last went off, before it was reaped", l.Name, time.Duration(e.T-prev.T))
				}
			}
		}
		if got := time.Duration(tr.End - lastOff); got != exit {
			t.Errorf("fresh=%v: the run ends %v after the last worker went off, want %v", fresh, got, exit)
		}
	}
}

// TestGILRunSpreadsOverTheCores: the OS does not pin a GIL to a core. Eight threads
// taking turns on two cores each wake where they last ran if it is free, else on the
// core idle longest, so both cores carry a fair share and threads move between them.
func TestGILRunSpreadsOverTheCores(t *testing.T) {
	tr := simulate(t, experiment.Spec{Model: experiment.GIL, Workers: 8, Cores: 2}, "8*cpu(100ms)")
	st := timeline.Compute(tr)
	if len(st.PerCore) != 2 {
		t.Fatalf("per core %v: want both cores used", st.PerCore)
	}
	for _, c := range st.PerCore {
		if share := c.Busy.Seconds() / st.CPU.Seconds(); share < 0.3 || share > 0.7 {
			t.Errorf("core %d did %.0f%% of the work: want a fair share of two cores, not one core for all", c.CPU, 100*share)
		}
	}
	moved := 0
	for _, l := range tr.Lanes {
		seen := map[int16]bool{}
		for _, e := range l.Events {
			if e.State == timeline.Running {
				seen[e.CPU] = true
			}
		}
		if len(seen) > 1 {
			moved++
		}
	}
	if moved == 0 {
		t.Error("no thread ever ran on another core than its first: a waiting thread may move")
	}
}

// TestALoneThreadKeepsItsCore: a thread that runs on alone keeps the core it has.
func TestALoneThreadKeepsItsCore(t *testing.T) {
	tr := simulate(t, experiment.Spec{Model: experiment.Serial, Workers: 1, Cores: 4}, "3*[cpu(2ms) io(1ms)]")
	for _, e := range tr.Lanes[0].Events {
		if e.State == timeline.Running && e.CPU != 0 {
			t.Fatalf("a lone thread ran on core %d: it should wake on the core it left", e.CPU)
		}
	}
}

// A measured profile's run says in its title when the profile was measured, and how
// quietly: a profile measured on a busy machine is not passed off as this machine's.
func TestTitleSaysWhenTheProfileWasMeasured(t *testing.T) {
	measured := func(string) (Profile, bool, error) {
		p, ok, err := BuiltinProfiles("cpython")
		p.Name, p.MeasuredAt, p.MeasuredLoad = experiment.DefaultProfile, time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC), 0.2
		return p, ok, err
	}
	tasks, _ := experiment.ParseTasks("2*cpu(10ms)")
	spec := experiment.Spec{Model: experiment.Threads, Workers: 2, Tasks: tasks, Sim: true}
	rec := timeline.NewRecorder(spec.Meta())
	if err := New(measured).Run(context.Background(), spec, rec); err != nil {
		t.Fatal(err)
	}
	tr := rec.Snapshot()
	if !strings.Contains(tr.Name, "profile this-machine measured 2026-12-07, quiet)") || tr.ProfileMeasured != "measured 2026-12-07, quiet" {
		t.Errorf("title %q (profile %q) does not say when the profile was measured", tr.Name, tr.ProfileMeasured)
	}
}
