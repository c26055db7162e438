package timeline

import (
	"encoding/json"
	"reflect"
	"sync"
	"testing"
)

func TestResultsGiveOutcomesAndCompletionOrder(t *testing.T) {
	rec := NewRecorder(Meta{Model: "threads", Tasks: 4})
	rec.Finished(Result{Task: 2, Outcome: Done, Submit: 1, Start: 2, End: 3})
	rec.Finished(Result{Task: 0, Outcome: Failed, Submit: 1, Start: 2, End: 4})
	rec.Finished(Result{Task: 3, Outcome: Cancelled, Submit: 1, End: 4})
	rec.Finished(Result{Task: 1, Outcome: Done, Submit: 1, Start: 3, End: 5})
	rec.AddIncrements(2000)
	rec.SetCounter(1500)
	st := Compute(rec.Snapshot())
	want := Outcomes{TasksFailed: 1, TasksCancelled: 1, CompletionOrder: []int32{2, 0, 3, 1}, CounterExpected: 2000, CounterFinal: 1500}
	if !reflect.DeepEqual(st.Outcomes, want) {
		t.Fatalf("outcomes %+v, want %+v", st.Outcomes, want)
	}
	data, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	json.Unmarshal(data, &got)
	for k, v := range map[string]float64{"tasks_failed": 1, "tasks_cancelled": 1, "counter_expected": 2000, "counter_final": 1500} {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if order, _ := json.Marshal(got["completion_order"]); string(order) != "[2,0,3,1]" {
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
	if o, ok := got["completion_order"].([]any); !ok || len(o) != 0 {
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
