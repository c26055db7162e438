package timeline

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestChromeRoundTrip(t *testing.T) {
	in := twoThreadsOneCore()
	data, err := MarshalChrome(in)
	if err != nil {
		t.Fatal(err)
	}
	var raw struct{ TraceEvents []map[string]any }
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
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
	if !reflect.DeepEqual(Compute(in), Compute(out)) {
		t.Fatalf("stats changed across export and import:\n%+v\n%+v", Compute(in), Compute(out))
	}
	if out.Lanes[1].Name != "T2" || len(out.Lanes[1].Events) != len(in.Lanes[1].Events) {
		t.Fatalf("lane 1 = %+v", out.Lanes[1])
	}
}

func TestUnmarshalChromeRejectsWhatIsNotATrace(t *testing.T) {
	for _, bad := range []string{
		``, `[]`, `{"traceEvents":[]}`,
		`{"otherData":{"model":"gil","begin_ns":5,"end_ns":1}}`,
		`{"otherData":{"model":"gil","end_ns":9},"traceEvents":[{"ph":"X","pid":1,"tid":-1,"name":"running"}]}`,
		`{"otherData":{"model":"gil","end_ns":9},"traceEvents":[{"ph":"X","pid":1,"tid":99999,"name":"running"}]}`,
		`{"otherData":{"model":"gil","end_ns":9},"traceEvents":[{"ph":"X","pid":1,"tid":0,"name":"dancing"}]}`,
		`{"otherData":{"model":"gil","end_ns":9},"traceEvents":[{"ph":"X","pid":1,"tid":0,"name":"running","dur":-1}]}`,
	} {
		if _, err := UnmarshalChrome([]byte(bad)); err == nil {
			t.Errorf("UnmarshalChrome(%s) = nil error", bad)
		}
	}
}

// FuzzUnmarshalChrome: a trace file from anywhere never panics the importer, and
// whatever it accepts can be measured and exported again.
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
	f.Add([]byte(`{"otherData":{"model":"gil","end_ns":9},"traceEvents":[{"ph":"X","pid":1,"tid":3,"ts":1e300,"name":"io"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := UnmarshalChrome(data)
		if err != nil {
			return
		}
		Compute(tr)
		tr.CoreLanes()
		if _, err := MarshalChrome(tr); err != nil {
			t.Fatal(err)
		}
	})
}
