package timeline

import (
	"encoding/json"
	"reflect"
	"strings"
	"sync"
	"testing"
)

func TestResultsGiveOutcomesAndCompletionOrder(t *testing.T) {
	rec := NewRecorder(Meta{Model: "threads", Tasks: 5})
	rec.Begin(0)
	rec.Finished(Result{Task: 4, Outcome: Cancelled, Submit: 1, End: 2}) // cancelled first: not a result that ran
	rec.Finished(Result{Task: 2, Outcome: Done, Submit: 1, Start: 2, End: 3})
	rec.Finished(Result{Task: 0, Outcome: Failed, Submit: 1, Start: 2, End: 4})
	rec.Finished(Result{Task: 3, Outcome: Cancelled, Submit: 1, End: 4})
	rec.Finished(Result{Task: 1, Outcome: Done, Submit: 1, Start: 3, End: 5})
	rec.AddIncrements(2000)
	rec.SetCounter(1500)
	st := Compute(rec.Snapshot())
	want := Outcomes{TasksFailed: 1, TasksCancelled: 2, CompletionOrder: []int32{4, 2, 0, 3, 1}, FirstDone: 2,
		FirstResult: 3e-9, MapFirst: 4e-9, // as_completed's first result: task 2 at 3; map's: task 0 at 4
		CounterExpected: 2000, CounterFinal: 1500, CounterLost: 500}
	if !reflect.DeepEqual(st.Outcomes, want) {
		t.Fatalf("outcomes %+v, want %+v", st.Outcomes, want)
	}
	data, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	json.Unmarshal(data, &got)
	for k, v := range map[string]float64{"tasks_failed": 1, "tasks_cancelled": 2, "first_done": 2, "counter_expected": 2000, "counter_final": 1500} {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if order, _ := json.Marshal(got["completion_order"]); string(order) != "[4,2,0,3,1]" {
		t.Errorf("completion_order = %s", order)
	}
	if vals := st.Values(); vals["tasks_failed"] != 1 || vals["counter_final"] != 1500 {
		t.Errorf("Values: %v", vals)
	}
}

// An empty run still says so in JSON: an empty order, not null.
func TestNoResultsIsAnEmptyOrder(t *testing.T) {
	data, _ := json.Marshal(Compute(NewRecorder(Meta{}).Snapshot()))
	var got map[string]any
	json.Unmarshal(data, &got)
	if o, ok := got["completion_order"].([]any); !ok || len(o) != 0 || got["first_done"] != -1.0 {
		t.Fatalf("completion_order = %#v", got["completion_order"])
	}
}

// Snapshots taken while engines record stay consistent (run with -race).
func TestResultsSnapshotWhileRecording(t *testing.T) {
	rec := NewRecorder(Meta{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 500 {
				rec.Finished(Result{Task: int32(w*500 + i), Outcome: Done})
			}
		})
	}
	for range 50 {
		tr := rec.Snapshot()
		for _, r := range tr.Results {
			if r.Outcome != Done {
				t.Fatalf("a torn result: %+v", r)
			}
		}
	}
	wg.Wait()
	if n := len(rec.Snapshot().Results); n != 2000 {
		t.Fatalf("%d results, want 2000", n)
	}
}

// Outcomes and the counter survive a Chrome trace export and import; a forged result
// is refused with the index that is wrong.
func TestChromeKeepsResults(t *testing.T) {
	in := twoThreadsOneCore()
	in.Tasks = 3
	in.Results = []Result{
		{Task: 1, Outcome: Done, Submit: in.Begin, Start: in.Begin + 10, End: in.Begin + 50},
		{Task: 2, Outcome: Cancelled, Submit: in.Begin, End: in.Begin + 60},
		{Task: 0, Outcome: Failed, Submit: in.Begin, Start: in.Begin + 5, End: in.Begin + 70},
	}
	in.CounterExpected, in.CounterFinal = 2_000_000, 1_234_567
	data, err := MarshalChrome(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := UnmarshalChrome(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out.Results, in.Results) || out.CounterFinal != in.CounterFinal || out.CounterExpected != in.CounterExpected {
		t.Fatalf("results %+v counter %d/%d after import, want %+v", out.Results, out.CounterFinal, out.CounterExpected, in.Results)
	}
	for _, forged := range []string{`[[7,1,0,1,2]]`, `[[0,9,0,1,2]]`, `[[0,1,0,5,2]]`, `[[0,1,0,-1,2]]`, `[[0,1,0,1,2],[0,1,0,1,2]]`} {
		bad := []byte(strings.Replace(string(data), `"tasks":[[1,1,0,10,50],[2,3,0,-1,60],[0,2,0,5,70]]`, `"tasks":`+forged, 1))
		if string(bad) == string(data) {
			t.Fatal("the export does not spell results as expected")
		}
		if _, err := UnmarshalChrome(bad); err == nil || !strings.Contains(err.Error(), "otherData.results") {
			t.Errorf("forged %s: %v", forged, err)
		}
	}
}

// Results read back in order across the import's fixed chunks: many more than one
// chunk holds, the last one part full.
func TestChromeKeepsManyResults(t *testing.T) {
	in := twoThreadsOneCore()
	in.Tasks = 3*importChunk + 77
	for i := range in.Tasks {
		task := int32((i * 7919) % in.Tasks) // completion order is not task order
		in.Results = append(in.Results, Result{Task: task, Outcome: Done, Submit: in.Begin, Start: in.Begin + 1, End: in.Begin + 2 + int64(i)})
	}
	data, err := MarshalChrome(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := UnmarshalChrome(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out.Results, in.Results) {
		t.Fatalf("%d results after import, want the %d exported in their order", len(out.Results), len(in.Results))
	}
}
