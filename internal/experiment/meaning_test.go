package experiment

import (
	"errors"
	"testing"
	"time"
)

func TestHasHTTP(t *testing.T) {
	for notation, want := range map[string]bool{
		"8*cpu(1ms)":                    false,
		"2*io(1ms), 3*http(1ms)":        true,
		"4*[io(1ms) http(1ms)]":         true,
		"cpu(1ms) in=1KB out=1KB":       false,
		"2*[cpu(1ms) io(1ms)], io(1ms)": false,
	} {
		ts, err := ParseTasks(notation)
		if err != nil {
			t.Fatal(err)
		}
		if got := ts.HasHTTP(); got != want {
			t.Errorf("HasHTTP(%q) = %v, want %v", notation, got, want)
		}
	}
}

// Switching to a one-worker model drops the worker count it cannot take, and every
// setting only the old model had, so the spec stays valid.
func TestWithModel(t *testing.T) {
	ts, _ := ParseTasks("4*cpu(10ms)")
	s := Spec{Model: Processes, Workers: 3, ChunkSize: 1, Fresh: true, Tasks: ts}
	for _, m := range Models {
		got := s.WithModel(m)
		if got.Model != m {
			t.Errorf("%s: model %s", m, got.Model)
		}
		if err := got.Validate(); err != nil {
			t.Errorf("%s: %v", m, err)
		}
		if n := got.Normalized().Workers; m.OneWorker() != (n == 1) {
			t.Errorf("%s runs %d workers", m, n)
		}
		if m != Processes && (got.ChunkSize != 0 || got.Fresh) {
			t.Errorf("%s kept the processes settings: %+v", m, got)
		}
	}
	if g := (Spec{Model: GIL, SwitchInterval: time.Millisecond}).WithModel(Threads); g.SwitchInterval != 0 {
		t.Errorf("threads kept the GIL's switch interval")
	}
}

func TestScale(t *testing.T) {
	ts, _ := ParseTasks("2*[io(20ms) cpu(3us)], cpu(1ms) in=1KB")
	if got := ts.Scale(2, 1).String(); got != "2*[io(40ms) cpu(6us)], cpu(2ms) in=1KB" {
		t.Errorf("doubled: %s", got)
	}
	if got := ts.Scale(1, 4).String(); got != "2*[io(5ms) cpu(1us)], cpu(250us) in=1KB" {
		t.Errorf("quartered, at least 1µs a step: %s", got)
	}
	if ts.String() != "2*[io(20ms) cpu(3us)], cpu(1ms) in=1KB" {
		t.Errorf("Scale changed the tasks it scaled: %s", ts)
	}
}

func TestErrors(t *testing.T) {
	a, b := errors.New("a"), errors.New("b")
	if got := Errors(errors.Join(a, b)); len(got) != 2 || got[0] != a || got[1] != b {
		t.Errorf("joined: %v", got)
	}
	if got := Errors(a); len(got) != 1 || got[0] != a {
		t.Errorf("one: %v", got)
	}
}
