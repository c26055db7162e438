package timeline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

func TestChromeRoundTrip(t *testing.T) {
	in := twoThreadsOneCore()
	data, err := MarshalChrome(in)
	if err != nil {
		t.Fatal(err)
	}
	var raw struct{ TraceEvents []map[string]any }
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, data)
	}
	var slicesOnCores, names int
	for _, e := range raw.TraceEvents {
		switch {
		case e["ph"] == "M":
			names++
		case e["ph"] == "X" && e["pid"] == float64(chromeCores):
			slicesOnCores++
		}
	}
	if names != 2+2+1 || slicesOnCores != 4 {
		t.Fatalf("%d names and %d core slices, want 5 and 4 (two running spans per thread on core 0)", names, slicesOnCores)
	}
	out, err := UnmarshalChrome(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Fatalf("trace changed across export and import:\n%+v\n%+v", in, out)
	}
}

// A trace made by a real-looking run round-trips to the nanosecond, lanes and all.
func TestChromeRoundTripIsExact(t *testing.T) {
	in := syntheticTrace(3, 5000)
	var b bytes.Buffer
	if err := WriteChrome(&b, in); err != nil {
		t.Fatal(err)
	}
	out, err := ReadChrome(&b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		for i := range in.Lanes {
			for j := range in.Lanes[i].Events {
				if in.Lanes[i].Events[j] != out.Lanes[i].Events[j] {
					t.Fatalf("lane %d event %d: %+v became %+v", i, j, in.Lanes[i].Events[j], out.Lanes[i].Events[j])
				}
			}
		}
		t.Fatal("traces differ")
	}
}

// However the reads split the file, even a byte at a time so that every key and number
// crosses a refill, import reads the same trace: the in-place fast paths give way.
func TestReadChromeIsTheSameForAnySplitOfReads(t *testing.T) {
	in := syntheticTrace(2, 300)
	in.Meta.Name = "caf\u00e9 \"quoted\""
	data, err := MarshalChrome(in)
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]io.Reader{
		"one byte": iotest.OneByteReader(bytes.NewReader(data)),
		"half":     iotest.HalfReader(bytes.NewReader(data)),
		"data+err": iotest.DataErrReader(bytes.NewReader(data)),
	} {
		out, err := ReadChrome(r)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(in, out) {
			t.Fatalf("%s: trace changed:\n%+v\n%+v", name, in.Meta, out.Meta)
		}
	}
}

// Files written by the earlier encoder (encoding/json: events first, otherData last,
// float microseconds, Chrome's own keys) still open.
func TestReadChromeAcceptsOtherKeyOrdersAndSpellings(t *testing.T) {
	old := `{"traceEvents":[
	 {"name":"thread_name","ph":"M","pid":1,"tid":0,"ts":0,"args":{"name":"T\u00e91\u001b[31m"}},
	 {"name":"process_name","ph":"M","pid":2,"tid":0,"ts":0,"args":{"name":"cores","x":[1,{"y":null}]}},
	 {"name":"running","ph":"X","pid":1,"tid":0,"ts":1.5e3,"dur":2000.0004,"cat":"","args":{"task":0,"cpu":1,"pid":7,"tid":8,"cpu_time_ns":12}},
	 {"name":"T1","ph":"X","pid":2,"tid":1,"ts":1500,"dur":2000,"args":{"state":"running","task":0}},
	 {"ph":"X","pid":1,"tid":0,"name":"idle","ts":3500,"dur":0.5}
	],"displayTimeUnit":"ms","otherData":{"model":"threads","workers":1,"cores":2,"tasks":1,"ideal_serial_ns":2000000,"begin_ns":10,"end_ns":4000010,"tasks_done":1,"gil_switches":0,"ipc_bytes":0,"future":true}}`
	tr, err := UnmarshalChrome([]byte(old))
	if err != nil {
		t.Fatal(err)
	}
	want := []Event{
		{T: 1_500_010, State: Running, Task: 0, CPU: 1, PID: 7, TID: 8, CPUTime: 12},
		{T: 3_500_010, State: Idle, Task: NoTask, CPU: NoCPU, CPUTime: NoCPUTime},
		{T: 3_500_510, State: Off, Task: NoTask, CPU: NoCPU, CPUTime: NoCPUTime},
	}
	if len(tr.Lanes) != 1 || tr.Lanes[0].Name != "Té1[31m" || !reflect.DeepEqual(tr.Lanes[0].Events, want) {
		t.Fatalf("lanes %+v\nwant name %q and events %+v", tr.Lanes, "Té1[31m", want)
	}
}

func TestReadChromeRejectsNonsense(t *testing.T) {
	const ok = `"model":"gil","begin_ns":0,"end_ns":9000`
	ev := func(other, events string) string {
		return `{"otherData":{` + other + `},"traceEvents":[` + events + `]}`
	}
	for _, c := range []struct{ in, want string }{
		{``, "end of file"},
		{`[]`, "want '{'"},
		{`{"traceEvents":[]}`, "names no model"},
		{`{"otherData":{"model":"gil"}} x`, "after the end"},
		{ev(`"model":"gil","begin_ns":5,"end_ns":1`, ``), "end_ns 1 is before begin_ns 5"},
		{ev(`"model":"gil","begin_ns":0,"end_ns":9223372036854775000`, ``), "otherData.end_ns 9223372036854775000 is out of range"},
		{ev(`"model":"gil","begin_ns":0,"end_ns":90000000000000`, ``), "more than a day"},
		{ev(`"model":"gil","end_ns":1e300`, ``), "not a whole number"},
		{ev(`"model":"gil","workers":-3`, ``), "otherData.workers -3 is out of range"},
		{ev(`"model":"gil","cores":100000`, ``), "otherData.cores 100000 is out of range"},
		{ev(`"model":"gil","ideal_serial_ns":-1`, ``), "ideal_serial_ns -1"},
		{ev(`"model":"gil","tasks":2,"tasks_done":3`, ``), "tasks_done 3 is more than the 2 tasks"},
		{ev(ok, `{"ph":"X","pid":1,"tid":-1,"name":"running","ts":0,"dur":1}`), "lane -1 is out of range"},
		{ev(ok, `{"ph":"X","pid":1,"tid":99999,"name":"running","ts":0,"dur":1}`), "lane 99999 is out of range"},
		{ev(ok, `{"ph":"X","pid":1,"tid":0,"name":"dancing","ts":0,"dur":1}`), `unknown state "dancing"`},
		{ev(ok, `{"ph":"X","pid":1,"tid":0,"name":"running","dur":1}`), "needs ts and dur"},
		{ev(ok, `{"ph":"X","pid":1,"tid":0,"name":"running","ts":0,"dur":-1}`), "dur -1 µs is negative"},
		{ev(ok, `{"ph":"X","pid":1,"tid":0,"name":"running","ts":1e300,"dur":1}`), "not a number within"},
		{ev(ok, `{"ph":"X","pid":1,"tid":0,"name":"running","ts":9e12,"dur":1}`), "more than a day from"},
		{ev(ok, `{"ph":"X","pid":1,"tid":0,"name":"running","ts":0,"dur":1,"args":{"cpu":99999}}`), "cpu 99999 is not a core number"},
		{ev(ok, `{"ph":"X","pid":1,"tid":0,"name":"running","ts":0,"dur":1,"args":{"task":-7}}`), "task -7 is out of range"},
		{ev(ok, `{"ph":"X","pid":1,"tid":0,"name":"running","ts":0,"dur":1,"args":{"pid":4294967296}}`), "pid 4294967296"},
		{ev(ok, `{"ph":"X","pid":1,"tid":0,"name":"running","ts":0,"dur":1,"args":{"cpu_time_ns":-2}}`), "cpu_time_ns -2"},
		{ev(ok, `{"ph":"X","pid":1,"tid":0,"name":"running","ts":0,"dur":20}`), "ends at 20 µs, after the run's end at 9 µs"},
		{ev(ok, `{"ph":"X","pid":1,"tid":0,"name":"running","ts":0,"dur":5},{"ph":"X","pid":1,"tid":0,"name":"io","ts":2,"dur":1}`), "slices overlap"},
		{ev(ok, `{"ph":"X","pid":1,"tid":0,"name":"running","ts":0,"dur":1,"x":`+strings.Repeat("[", 100)+strings.Repeat("]", 100)+`}`), "nested deeper"},
		{ev(ok, `{"ph":"M","pid":1,"tid":0,"name":"thread_name","args":{"name":"`+strings.Repeat("a", 300)+`"}}`), "more than 256"},
		{ev(ok, `{"ph":"M","pid":2,"tid":0,"name":"`+strings.Repeat("a", 70000)+`"}`), "a string longer than"},
		{ev(ok, `{"ph":"M","pid":2,"tid":0,"ts":01}`), `time "01" µs is not a number`},
		{ev(ok, `{"ph":"i","pid":3,"args":{"a":[1,{"b":nul}]}}`), `want "null"`},
		{ev(ok, `{"ph":"i","pid":3,"args":{"a":[1,]}}`), `unexpected ']'`},
		{ev(ok, `{"ph":"i","pid":3,"args":{"a":1,}}`), `want '"'`},
		{ev(ok, `{"pid":2,"x":`+strings.Repeat("[", 100)+strings.Repeat("]", 100)+`}`), "nested deeper"},
		{ev(ok, `{"ph":"M","pid":2,"tid":0,"ts":0x10}`), "want ',' or '}'"},
	} {
		_, err := UnmarshalChrome([]byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			in := c.in
			if len(in) > 120 {
				in = in[:120] + "…"
			}
			t.Errorf("UnmarshalChrome(%s)\n = %v, want an error saying %q", in, err, c.want)
		}
	}
}

// FuzzUnmarshalChrome: a trace file from anywhere never panics the importer, never
// keeps more than the events it holds, and whatever it accepts can be measured, drawn
// as core lanes and exported to the same trace again.
func FuzzUnmarshalChrome(f *testing.F) {
	good, _ := MarshalChrome(twoThreadsOneCore())
	f.Add(good)
	withResults := twoThreadsOneCore()
	withResults.Tasks = 2
	withResults.Results = []Result{{Task: 1, Outcome: Failed, Submit: withResults.Begin, Start: withResults.Begin + 5, End: withResults.Begin + 9},
		{Task: 0, Outcome: Cancelled, Submit: withResults.Begin, End: withResults.Begin + 9}}
	withResults.CounterExpected, withResults.CounterFinal = 10, 7
	good, _ = MarshalChrome(withResults)
	f.Add(good)
	big, _ := MarshalChrome(syntheticTrace(2, 20))
	f.Add(big)
	measured := gilPair()
	measured.Others = &Others{CPU: 3e8, Cores: 2, Span: 1e9, Slack: 2e7}
	withOthers, _ := MarshalChrome(measured)
	f.Add(withOthers)
	f.Add([]byte(`{"otherData":{"model":"gil","end_ns":9},"traceEvents":[{"ph":"X","pid":1,"tid":3,"ts":1e300,"name":"io"}]}`))
	f.Add([]byte(`{"otherData":{"model":"gil","end_ns":9223372036854775807,"begin_ns":1},"traceEvents":[]}`))
	f.Add([]byte(`{"traceEvents":[{"ph":"X","pid":1,"tid":0,"ts":0.001,"dur":0.0015,"name":"running","args":{"cpu":3}}],"otherData":{"model":"x","end_ns":4}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := UnmarshalChrome(data)
		if err != nil {
			return
		}
		events := 0
		for _, l := range tr.Lanes {
			events += len(l.Events)
		}
		if events > 2*len(data) {
			t.Fatalf("%d bytes became %d events", len(data), events)
		}
		if s := Compute(tr); s.Wall < 0 || s.CPU < 0 {
			t.Fatalf("negative figures from an accepted trace: %+v", s)
		}
		tr.CoreLanes()
		again, err := MarshalChrome(tr)
		if err != nil {
			t.Fatal(err)
		}
		tr2, err := UnmarshalChrome(again)
		if err != nil {
			t.Fatalf("an accepted trace, exported again, is refused: %v\n%s", err, again)
		}
		if !reflect.DeepEqual(Compute(tr), Compute(tr2)) {
			t.Fatalf("figures changed on a second round trip:\n%+v\n%+v", Compute(tr), Compute(tr2))
		}
	})
}

// syntheticTrace is a run of the shape a threads run makes: each worker alternates
// running and idle with a task a step, clocks and cores set, and ends Off.
func syntheticTrace(workers, tasksPerWorker int) *Trace {
	const begin = 1_000_000_007
	t := &Trace{Meta: Meta{Model: "threads", Name: `a "quoted" run`, Workers: workers, Cores: 2, Tasks: workers * tasksPerWorker},
		Begin: begin, TasksDone: int64(workers * tasksPerWorker), GILSwitches: 3, IPCBytes: 5}
	end := int64(0)
	for w := range workers {
		l := LaneData{Name: fmt.Sprintf("T%d", w+1)}
		now, cpu := int64(begin+w*13), int64(0)
		for i := range tasksPerWorker {
			l.Events = append(l.Events, Event{T: now, CPUTime: cpu, Task: int32(w*tasksPerWorker + i), PID: 100, TID: int32(200 + w), CPU: int16((w + i/7) % 2), State: Running})
			now += 1000 + int64(i%17)*31
			cpu += 990
			l.Events = append(l.Events, Event{T: now, CPUTime: cpu, Task: NoTask, PID: 100, TID: int32(200 + w), CPU: int16(w % 2), State: Idle})
			now += 250 + int64(i%5)
		}
		l.Events = append(l.Events, Event{T: now, CPUTime: cpu, Task: NoTask, PID: 100, TID: int32(200 + w), CPU: NoCPU, State: Off})
		end = max(end, now)
		t.Lanes = append(t.Lanes, l)
	}
	t.End = end
	return t
}

// A simulated run stays labelled as one after export and import.
func TestChromeKeepsSourceAndProfile(t *testing.T) {
	in := syntheticTrace(2, 100)
	in.Source, in.Profile = SourceSim, "cpython"
	var b bytes.Buffer
	if err := WriteChrome(&b, in); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "SIMULATED, profile cpython") {
		t.Fatal("the export does not name the run a model")
	}
	out, err := ReadChrome(&b)
	if err != nil {
		t.Fatal(err)
	}
	if out.Source != SourceSim || out.Profile != "cpython" {
		t.Fatalf("source %q profile %q after import, want sim and cpython", out.Source, out.Profile)
	}
}
