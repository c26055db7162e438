package timeline

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
)

// Chrome trace JSON (the Trace Event Format that Perfetto and chrome://tracing open):
// worker lanes are threads of process 1, core lanes threads of process 2, every span an
// "X" slice and every lane named by an "M" event. The args of worker slices carry what
// Import needs to rebuild the trace exactly.

const (
	chromeWorkers = 1
	chromeCores   = 2
)

type chromeEvent struct {
	Name string         `json:"name"`
	Ph   string         `json:"ph"`
	Pid  int            `json:"pid"`
	Tid  int            `json:"tid"`
	Ts   float64        `json:"ts"`            // µs since the run began
	Dur  float64        `json:"dur,omitempty"` // µs
	Args map[string]any `json:"args,omitempty"`
}

type chromeFile struct {
	TraceEvents     []chromeEvent `json:"traceEvents"`
	DisplayTimeUnit string        `json:"displayTimeUnit"`
	OtherData       chromeOther   `json:"otherData"`
}

// chromeOther holds what is not a slice: the spec and the counters.
type chromeOther struct {
	Meta
	Begin       int64 `json:"begin_ns"`
	End         int64 `json:"end_ns"`
	TasksDone   int64 `json:"tasks_done"`
	GILSwitches int64 `json:"gil_switches"`
	IPCBytes    int64 `json:"ipc_bytes"`
}

func us(ns int64) float64 { return float64(ns) / 1e3 }

// MarshalChrome writes t as Chrome trace JSON.
func MarshalChrome(t *Trace) ([]byte, error) {
	f := chromeFile{DisplayTimeUnit: "ms", OtherData: chromeOther{Meta: t.Meta, Begin: t.Begin, End: t.End,
		TasksDone: t.TasksDone, GILSwitches: t.GILSwitches, IPCBytes: t.IPCBytes}}
	name := func(pid, tid int, what, value string) {
		f.TraceEvents = append(f.TraceEvents, chromeEvent{Name: what, Ph: "M", Pid: pid, Tid: tid, Args: map[string]any{"name": value}})
	}
	name(chromeWorkers, 0, "process_name", "workers")
	name(chromeCores, 0, "process_name", "cores")
	for li, l := range t.Lanes {
		name(chromeWorkers, li, "thread_name", l.Name)
		for i, e := range l.Events {
			s := l.Span(i, t.End)
			if e.T > t.End {
				continue
			}
			f.TraceEvents = append(f.TraceEvents, chromeEvent{Name: e.State.String(), Ph: "X", Pid: chromeWorkers, Tid: li,
				Ts: us(s.Start - t.Begin), Dur: us(s.Duration()), Args: map[string]any{
					"task": e.Task, "cpu": e.CPU, "pid": e.PID, "tid": e.TID, "cpu_time_ns": e.CPUTime}})
		}
	}
	for _, c := range t.CoreLanes() {
		name(chromeCores, c.CPU, "thread_name", fmt.Sprintf("core %d", c.CPU))
		for _, s := range c.Spans {
			f.TraceEvents = append(f.TraceEvents, chromeEvent{Name: t.Lanes[s.Lane].Name, Ph: "X", Pid: chromeCores, Tid: c.CPU,
				Ts: us(s.Start - t.Begin), Dur: us(s.Duration()), Args: map[string]any{"state": s.State.String(), "task": s.Task}})
		}
	}
	return json.Marshal(f)
}

// maxImportLanes bounds what an imported file can make us allocate.
const maxImportLanes = 4096

// UnmarshalChrome reads a trace written by MarshalChrome. Core lanes are derived
// again from the worker lanes, so only process 1's slices are read. Errors say which
// event is wrong.
func UnmarshalChrome(data []byte) (*Trace, error) {
	var f chromeFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("not a coreography trace: %w", err)
	}
	o := f.OtherData
	if o.Model == "" || o.End < o.Begin {
		return nil, fmt.Errorf("not a coreography trace: otherData has no model or its end is before its begin")
	}
	t := &Trace{Meta: o.Meta, Begin: o.Begin, End: o.End, TasksDone: o.TasksDone, GILSwitches: o.GILSwitches, IPCBytes: o.IPCBytes}
	lane := func(i int, tid int) (*LaneData, error) {
		if tid < 0 || tid >= maxImportLanes {
			return nil, fmt.Errorf("traceEvents[%d]: lane %d is out of range 0..%d", i, tid, maxImportLanes-1)
		}
		for len(t.Lanes) <= tid {
			t.Lanes = append(t.Lanes, LaneData{Name: fmt.Sprintf("lane %d", len(t.Lanes))})
		}
		return &t.Lanes[tid], nil
	}
	type slice struct {
		Event
		end int64
	}
	slicesByLane := map[int][]slice{}
	for i, e := range f.TraceEvents {
		if e.Pid != chromeWorkers {
			continue
		}
		l, err := lane(i, e.Tid)
		if err != nil {
			return nil, err
		}
		switch e.Ph {
		case "M":
			if name, ok := e.Args["name"].(string); ok && e.Name == "thread_name" {
				l.Name = name
			}
		case "X":
			st, ok := ParseState(e.Name)
			if !ok {
				return nil, fmt.Errorf("traceEvents[%d]: unknown state %q", i, e.Name)
			}
			if !finite(e.Ts) || !finite(e.Dur) || e.Dur < 0 {
				return nil, fmt.Errorf("traceEvents[%d]: ts and dur must be finite, dur not negative", i)
			}
			start := t.Begin + int64(e.Ts*1e3)
			ev := Event{T: start, State: st, Task: int32(argInt(e.Args, "task", NoTask)), CPU: int16(argInt(e.Args, "cpu", NoCPU)),
				PID: int32(argInt(e.Args, "pid", 0)), TID: int32(argInt(e.Args, "tid", 0)), CPUTime: argInt(e.Args, "cpu_time_ns", NoCPUTime)}
			slicesByLane[e.Tid] = append(slicesByLane[e.Tid], slice{ev, start + int64(e.Dur*1e3)})
		}
	}
	for tid, ss := range slicesByLane {
		slices.SortStableFunc(ss, func(a, b slice) int { return cmp.Compare(a.T, b.T) })
		l := &t.Lanes[tid]
		for i, s := range ss {
			l.Events = append(l.Events, s.Event)
			if next := i + 1; next < len(ss) && ss[next].T > s.end || next == len(ss) && s.end < t.End {
				// A gap between slices, or a lane that ended early, was an Off stretch.
				l.Events = append(l.Events, Event{T: s.end, State: Off, Task: NoTask, CPU: NoCPU, CPUTime: NoCPUTime})
			}
		}
	}
	return t, nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) && math.Abs(f) < 1e15 }

func argInt(args map[string]any, key string, def int64) int64 {
	if f, ok := args[key].(float64); ok && finite(f) {
		return int64(f)
	}
	return def
}
