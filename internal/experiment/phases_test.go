package experiment

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestPhasesParseAndSpellBack(t *testing.T) {
	for _, tc := range []struct {
		src    string
		again  string
		starts []int
	}{
		{"8*cpu(1ms)", "8*cpu(1ms)", []int{0}},
		{"cpu(200ms) then 16*cpu(100ms)", "cpu(200ms) then 16*cpu(100ms)", []int{0, 1}},
		{"2*io(1ms), cpu(1ms) then 3*cpu(1ms) then io(2ms)", "2*io(1ms), cpu(1ms) then 3*cpu(1ms) then io(2ms)", []int{0, 3, 6}},
		{"cpu(1ms) in=1KB THEN [io(1ms) cpu(1ms)]", "cpu(1ms) in=1KB then [io(1ms) cpu(1ms)]", []int{0, 1}},
	} {
		ts, err := ParseTasks(tc.src)
		if err != nil {
			t.Fatalf("ParseTasks(%q): %v", tc.src, err)
		}
		if got := ts.String(); got != tc.again {
			t.Errorf("ParseTasks(%q).String() = %q, want %q", tc.src, got, tc.again)
		}
		if got := ts.PhaseStarts(); !reflect.DeepEqual(got, tc.starts) {
			t.Errorf("PhaseStarts(%q) = %v, want %v", tc.src, got, tc.starts)
		}
		if ts.Phases() != len(tc.starts) {
			t.Errorf("Phases(%q) = %d, want %d", tc.src, ts.Phases(), len(tc.starts))
		}
	}
}

func TestPhaseErrorsNameTheColumn(t *testing.T) {
	for _, tc := range []struct {
		src, msg string
		col      int
	}{
		{"cpu(1ms) then", "expected a step", 14},
		{"cpu(1ms) then then cpu(1ms)", `found "then"`, 15},
		{"cpu(1ms) thenx cpu(1ms)", `or "then" before the next phase), found "thenx"`, 10},
		{"then cpu(1ms)", `found "then"`, 1},
		{"cpu(1ms), then cpu(1ms)", `found "then"`, 11},
	} {
		_, err := ParseTasks(tc.src)
		ne, ok := err.(*NotationError)
		if !ok || ne.Col != tc.col || !strings.Contains(ne.Msg, tc.msg) {
			t.Errorf("ParseTasks(%q) = %v; want col %d containing %q", tc.src, err, tc.col, tc.msg)
		}
	}
}

func TestPhasesKeepCountsAndWork(t *testing.T) {
	ts, err := ParseTasks("cpu(200ms) then 16*cpu(100ms)")
	if err != nil {
		t.Fatal(err)
	}
	if ts.Count() != 17 || ts.Work() != 1800*time.Millisecond || len(ts.List()) != 17 {
		t.Errorf("got %d tasks, %v of work; want 17 and 1.8s", ts.Count(), ts.Work())
	}
}

// FuzzTasksRoundTrip checks that whatever parses spells back into notation that
// parses to the same tasks, phases included.
func FuzzTasksRoundTrip(f *testing.F) {
	for _, s := range []string{"8*cpu(100ms)", "cpu(200ms) then 16*cpu(100ms)", "2*[io(1ms) cpu(2us)] in=1KB, io(1s) then http(5ms)", "fail then 2*[add(5, call) fail]", "hash(1ms) then 2*[hash(2us) io(1ms)]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		ts, err := ParseTasks(src)
		if err != nil {
			return
		}
		again, err := ParseTasks(ts.String())
		if err != nil {
			t.Fatalf("%q spelt back as %q, which does not parse: %v", src, ts.String(), err)
		}
		if !reflect.DeepEqual(again.PhaseStarts(), ts.PhaseStarts()) || again.Count() != ts.Count() || again.String() != ts.String() {
			t.Fatalf("%q → %q → %q changed its tasks", src, ts.String(), again.String())
		}
	})
}

func TestSimSpecsHaveTheModelMachinesBounds(t *testing.T) {
	tasks, _ := ParseTasks("cpu(1ms)")
	for _, tc := range []struct {
		spec Spec
		want string // "" for valid
	}{
		{Spec{Model: Threads, Workers: 1024, Cores: 256, Sim: true, Tasks: tasks}, ""},
		{Spec{Model: Processes, Workers: 1024, Cores: 64, Sim: true, Profile: "cpython", Tasks: tasks}, ""},
		{Spec{Model: Threads, Workers: 1025, Sim: true, Tasks: tasks}, "at most 1024 simulated workers"},
		{Spec{Model: Threads, Cores: 257, Sim: true, Tasks: tasks}, "the model machine has 1 to 256 cores"},
		{Spec{Model: Processes, Workers: 65, Tasks: tasks}, "at most 64 processes"},
		{Spec{Model: Threads, Profile: "cpython", Tasks: tasks}, "only a simulated run"},
	} {
		err := tc.spec.Validate()
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%+v: %v, want %q", tc.spec, err, tc.want)
		}
	}
	s := Spec{Model: Threads, Workers: 64, Cores: 64, Sim: true, Tasks: tasks}
	if m := s.Meta(); m.Cores != 64 || m.Source != "sim" || m.Profile != DefaultProfile || !strings.HasPrefix(m.Name, "SIMULATED") {
		t.Errorf("meta of a simulated spec: %+v", m)
	}
}
