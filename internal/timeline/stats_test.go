package timeline

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
)

const ms = int64(time.Millisecond)

// twoThreadsOneCore is two threads that each used 50 ms of CPU on core 0 over the same
// 100 ms: they shared the core, so the run used one core, not two.
func twoThreadsOneCore() *Trace {
	lane := func(name string, tid int32) LaneData {
		return LaneData{Name: name, Events: []Event{
			{T: 0, CPUTime: 0, TID: tid, CPU: 0, State: Running, Task: 0},
			{T: 40 * ms, CPUTime: 20 * ms, TID: tid, CPU: 0, State: Preempted, Task: 0},
			{T: 60 * ms, CPUTime: 20 * ms, TID: tid, CPU: 0, State: Running, Task: 0},
			{T: 100 * ms, CPUTime: 50 * ms, TID: tid, CPU: 0, State: Off, Task: NoTask},
		}}
	}
	return &Trace{
		Meta:  Meta{Model: "threads", Workers: 2, Cores: 1, Tasks: 2, IdealSerial: 100 * time.Millisecond},
		Begin: 0, End: 100 * ms, TasksDone: 2,
		Lanes: []LaneData{lane("T1", 1), lane("T2", 2)},
	}
}

func TestComputeUsesCPUClockNotRunningState(t *testing.T) {
	s := Compute(twoThreadsOneCore())
	if s.Wall != 100*time.Millisecond || s.CPU != 100*time.Millisecond {
		t.Fatalf("wall %v cpu %v, want 100ms each", s.Wall, s.CPU)
	}
	if math.Abs(s.Parallelism-1) > 1e-9 || math.Abs(s.Speedup-1) > 1e-9 {
		t.Fatalf("parallelism %.3f speedup %.3f, want 1 and 1", s.Parallelism, s.Speedup)
	}
	if len(s.PerCore) != 1 || s.PerCore[0].CPU != 0 || s.PerCore[0].Busy != 100*time.Millisecond {
		t.Fatalf("per core %+v, want core 0 busy 100ms", s.PerCore)
	}
}

// A watched tree's CPU that no lane holds counts in the run's CPU, and in per-core
// time where it was placed on cores, said apart as placed.
func TestComputeCountsUnattributedCPUWherePlaced(t *testing.T) {
	tr := twoThreadsOneCore()
	tr.UnattributedCPU, tr.UnattributedOn = 30*ms, map[int]int64{0: 10 * ms, 1: 20 * ms}
	s := Compute(tr)
	if s.CPU != 130*time.Millisecond || s.Unattributed != 30*time.Millisecond {
		t.Fatalf("cpu %v unattributed %v, want 130ms and 30ms", s.CPU, s.Unattributed)
	}
	want := []CoreBusy{{CPU: 0, Busy: 110 * time.Millisecond, Placed: 10 * time.Millisecond}, {CPU: 1, Busy: 20 * time.Millisecond, Placed: 20 * time.Millisecond}}
	if len(s.PerCore) != 2 || s.PerCore[0] != want[0] || s.PerCore[1] != want[1] {
		t.Fatalf("per core %+v, want %+v", s.PerCore, want)
	}
	data, _ := json.Marshal(s)
	if !strings.Contains(string(data), `{"cpu":1,"busy_s":0.02,"placed_s":0.02}`) {
		t.Errorf("JSON per core does not say what was placed: %s", data)
	}
}

func TestComputeGILAndIPCFigures(t *testing.T) {
	tr := &Trace{Meta: Meta{Model: "gil"}, Begin: 0, End: 20 * ms, GILSwitches: 4, IPCBytes: 2048, Lanes: []LaneData{{Events: []Event{
		{T: 0, State: Starting, CPUTime: -1},
		{T: 2 * ms, State: Transfer, CPUTime: -1},
		{T: 5 * ms, State: WaitGIL, CPUTime: -1},
		{T: 12 * ms, State: Running, CPUTime: -1},
	}}}}
	s := Compute(tr)
	if s.Startup != 2*time.Millisecond || s.IPC != 3*time.Millisecond || s.GILWait != 7*time.Millisecond {
		t.Fatalf("startup %v ipc %v gil wait %v", s.Startup, s.IPC, s.GILWait)
	}
	if s.GILSwitchesPerS != 200 {
		t.Fatalf("switches/s %.1f, want 4 in 20ms = 200", s.GILSwitchesPerS)
	}
	// Unmeasured CPU time falls back to on-CPU wall time: starting 2 + transfer 3 + running 8.
	if s.CPU != 13*time.Millisecond {
		t.Fatalf("cpu %v, want 13ms", s.CPU)
	}
}

func TestStatsJSONHasTheRunFields(t *testing.T) {
	data, err := json.Marshal(Compute(twoThreadsOneCore()))
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range strings.Fields("model workers cores tasks_done wall_s cpu_s parallelism ideal_serial_s speedup gil_switches gil_switches_per_s gil_wait_s ipc_bytes ipc_s startup_s per_core busy_s") {
		if !strings.Contains(string(data), `"`+field+`"`) {
			t.Errorf("JSON lacks %q: %s", field, data)
		}
	}
	if v := Compute(twoThreadsOneCore()).Values(); v["speedup"] != 1 || v["wall_s"] != 0.1 {
		t.Errorf("Values = %v", v)
	}
}

func TestSpansClipToWindow(t *testing.T) {
	l := twoThreadsOneCore().Lanes[0]
	var got []Span
	l.Spans(50*ms, 70*ms, func(s Span) bool { got = append(got, s); return true })
	if len(got) != 2 || got[0].Start != 50*ms || got[0].State != Preempted || got[1].End != 70*ms || got[1].State != Running {
		t.Fatalf("spans %+v", got)
	}
}

// TestValuesAreTheJSONFigures: Values are exactly the numbers `run --json` writes, by
// the same names, without a trip through JSON to find them.
func TestValuesAreTheJSONFigures(t *testing.T) {
	s := Stats{Meta: Meta{Name: "x", Model: "gil", Workers: 2, Cores: 2, Tasks: 4, IdealSerial: 4e8},
		TasksDone: 4, Wall: 5e8, CPU: 9e8, Parallelism: 1.8, Speedup: 0.8, GILSwitches: 80,
		GILSwitchesPerS: 160, GILWait: 3e8, IPCBytes: 1024, IPC: 2e6, Startup: 3e7}
	raw, err := s.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var all map[string]any
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	values := s.Values()
	for k, v := range all {
		if f, ok := v.(float64); ok && values[k] != f {
			t.Errorf("%s: Values %v, JSON %v", k, values[k], f)
		} else if _, listed := values[k]; ok && !listed {
			t.Errorf("%s is in the JSON but not in Values", k)
		}
	}
	for k := range values {
		if _, ok := all[k].(float64); !ok {
			t.Errorf("%s is in Values but is not a number in the JSON", k)
		}
	}
}
