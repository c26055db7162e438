package experiment

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseTasks(t *testing.T) {
	for _, tc := range []struct {
		src   string
		count int
		work  time.Duration
		again string // what String spells it as
	}{
		{"8*cpu(100ms)", 8, 800 * time.Millisecond, "8*cpu(100ms)"},
		{"50*http(50ms)", 50, 2500 * time.Millisecond, "50*http(50ms)"},
		{"4*[io(20ms) cpu(5ms) io(20ms)]", 4, 180 * time.Millisecond, "4*[io(20ms) cpu(5ms) io(20ms)]"},
		{"10000*cpu(1us)", 10000, 10 * time.Millisecond, "10000*cpu(1us)"},
		{"cpu(10ms) in=1MB out=1KB", 1, 10 * time.Millisecond, "cpu(10ms) in=1MB out=1KB"},
		{"8*cpu(100ms), 2*io(1s)", 10, 2800 * time.Millisecond, "8*cpu(100ms), 2*io(1s)"},
		{" 2 * cpu( 1.5ms ) ,io(2µs)", 3, 3002 * time.Microsecond, "2*cpu(1500us), io(2us)"},
		{"3*CPU(1S)", 3, 3 * time.Second, "3*cpu(1s)"},
		{"cpu(0us)", 1, 0, "cpu(0ns)"},
		{"2*hash(100ms), [io(1ms) HASH(2ms)]", 3, 203 * time.Millisecond, "2*hash(100ms), [io(1ms) hash(2ms)]"},
	} {
		ts, err := ParseTasks(tc.src)
		if err != nil {
			t.Errorf("ParseTasks(%q): %v", tc.src, err)
			continue
		}
		if ts.Count() != tc.count || ts.Work() != tc.work || ts.String() != tc.again {
			t.Errorf("ParseTasks(%q) = %d tasks, %v, %q; want %d, %v, %q", tc.src, ts.Count(), ts.Work(), ts.String(), tc.count, tc.work, tc.again)
		}
		if len(ts.List()) != tc.count {
			t.Errorf("List(%q) has %d tasks, want %d", tc.src, len(ts.List()), tc.count)
		}
	}
}

func TestParseTasksErrorsNameTheColumn(t *testing.T) {
	for _, tc := range []struct {
		src, msg string
		col      int
	}{
		{"", "expected a step", 1},
		{"8*", "expected a step", 3},
		{"8*cpu", `expected "(" after cpu`, 6},
		{"8*cpu(100)", "expected a unit", 10},
		{"8*cpu(100xs)", `found "xs"`, 10},
		{"8*gpu(1ms)", `found "gpu"`, 3},
		{"8*hash", `expected "(" after hash`, 7},
		{"8*hash(1)", "expected a unit", 9},
		{"8 cpu(1ms)", `expected "*" after the count 8`, 3},
		{"8*cpu(1ms", `expected ")"`, 10},
		{"8*cpu(1ms) 3", `expected "," or the end`, 12},
		{"0*cpu(1ms)", "count must be 1 to 100000", 1},
		{"2*[]", "expected a step such as cpu(10ms) inside", 4},
		{"2*[cpu(1ms)", `expected "]"`, 12},
		{"cpu(1ms) in=", "expected a size", 13},
		{"cpu(1ms) in=3XB", "expected a unit B, KB", 14},
		{"cpu(1ms) in=1GB", "more than the 64MB limit", 13},
		{"cpu(2m)", "expected a unit", 6},
		{"cpu(61s)", "a step of 61s is more than the 1m0s limit", 5},
		{"60000*cpu(1ms), 50000*cpu(1ms)", "110000 tasks is more than the limit", 1},
		{"99999999999999999999*cpu(1ms)", "too large", 1},
	} {
		_, err := ParseTasks(tc.src)
		var ne *NotationError
		if !errors.As(err, &ne) {
			t.Errorf("ParseTasks(%q) = %v, want a NotationError", tc.src, err)
			continue
		}
		if ne.Col != tc.col || !strings.Contains(ne.Msg, tc.msg) {
			t.Errorf("ParseTasks(%q) = col %d %q; want col %d containing %q", tc.src, ne.Col, ne.Msg, tc.col, tc.msg)
		}
	}
}

func TestValidate(t *testing.T) {
	tasks := func(s string) Tasks {
		ts, err := ParseTasks(s)
		if err != nil {
			t.Fatal(err)
		}
		return ts
	}
	ok := []Spec{
		{Model: GIL, Workers: 2, Tasks: tasks("8*cpu(100ms)")},
		{Model: Asyncio, Tasks: tasks("10000*io(50ms)")},
		{Model: Processes, Workers: 2, ChunkSize: 100, Tasks: tasks("10000*cpu(1us)")},
		{Model: Processes, Workers: 2, Fresh: true, Tasks: tasks("4*cpu(1ms)")},
		{Model: Threads, Workers: 256, Cores: 1, Tasks: tasks("cpu(1ms)")},
	}
	for _, s := range ok {
		if err := s.Validate(); err != nil {
			t.Errorf("%v: %v", s, err)
		}
	}
	bad := []struct {
		spec  Spec
		field string
	}{
		{Spec{Model: "fibers", Tasks: tasks("cpu(1ms)")}, "model"},
		{Spec{Model: Threads, Workers: 257, Tasks: tasks("cpu(1ms)")}, "workers"},
		{Spec{Model: Processes, Workers: 65, Tasks: tasks("cpu(1ms)")}, "workers"},
		{Spec{Model: Asyncio, Workers: 2, Tasks: tasks("cpu(1ms)")}, "workers"},
		{Spec{Model: Threads, Cores: 999, Tasks: tasks("cpu(1ms)")}, "cores"},
		{Spec{Model: Threads, SwitchInterval: time.Millisecond, Tasks: tasks("cpu(1ms)")}, "switch-interval"},
		{Spec{Model: GIL, SwitchInterval: 2 * time.Second, Tasks: tasks("cpu(1ms)")}, "switch-interval"},
		{Spec{Model: GIL, ChunkSize: 3, Tasks: tasks("cpu(1ms)")}, "chunk-size"},
		{Spec{Model: Threads, Fresh: true, Tasks: tasks("cpu(1ms)")}, "fresh"},
		{Spec{Model: Threads}, "tasks"},
		{Spec{Model: Serial, Tasks: tasks("61*cpu(1s)")}, "tasks"},
		{Spec{Model: Serial, Tasks: tasks("10000*io(50ms)")}, "tasks"},
	}
	for _, tc := range bad {
		err := tc.spec.Validate()
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%v: got %v, want a %s error", tc.spec, err, tc.field)
		}
	}
}

func TestAutoChunkSizeMatchesPoolMap(t *testing.T) {
	// multiprocessing.Pool.map: chunksize, extra = divmod(len, 4*processes); +1 if extra.
	for _, tc := range []struct{ tasks, workers, want int }{{10000, 2, 1250}, {10, 2, 2}, {1, 4, 1}, {0, 2, 1}} {
		if got := AutoChunkSize(tc.tasks, tc.workers); got != tc.want {
			t.Errorf("AutoChunkSize(%d, %d) = %d, want %d", tc.tasks, tc.workers, got, tc.want)
		}
	}
}

// FuzzParseTasks: any input parses or fails with a column inside it (or just past
// its end), and whatever parses spells itself back to the same tasks.
func FuzzParseTasks(f *testing.F) {
	for _, s := range []string{"8*cpu(100ms)", "4*[io(20ms) cpu(5ms) io(20ms)]", "cpu(10ms) in=1MB out=1KB, 2*http(1s)", "2*[", "µs", "1e9*cpu(1ns)",
		"100000*[cpu(60s) cpu(60s) cpu(60s)]", "100000*cpu(0ns) in=64MB out=64MB", "99999*[cpu(1ns) io(1ns) http(1ns)], 99999*cpu(59.999999999s)",
		"[cpu(20ms) fail]", "2*add(1000000, lock), add(3)", "2*hash(100ms)", "[io(1ms) hash(2.5ms) cpu(1ms)]", "hash(", "hash(1s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		ts, err := ParseTasks(src)
		if err != nil {
			var ne *NotationError
			if !errors.As(err, &ne) {
				t.Fatalf("%q: error %v is not a NotationError", src, err)
			}
			if ne.Col < 1 || ne.Col > len([]rune(src))+1 {
				t.Fatalf("%q: column %d outside the input", src, ne.Col)
			}
			return
		}
		if ts.Work() < 0 || ts.PayloadBytes() < 0 || ts.Steps() < 0 {
			t.Fatalf("%q: a sum wrapped: work %d, payload %d, steps %d", src, ts.Work(), ts.PayloadBytes(), ts.Steps())
		}
		if spec := (Spec{Model: Processes, Workers: 2, Tasks: ts}); spec.Validate() == nil {
			if spec.PlannedWork() > MaxPlannedWork || ts.Steps() > MaxSteps || ts.PayloadBytes() > MaxPayloadTotal || spec.PayloadMemory() > MaxPayloadMemory {
				t.Fatalf("%q passed validation past a limit", src)
			}
		}
		again, err := ParseTasks(ts.String())
		if err != nil {
			t.Fatalf("%q spelled as %q does not parse: %v", src, ts.String(), err)
		}
		if again.Count() != ts.Count() || again.Work()/time.Microsecond != ts.Work()/time.Microsecond {
			t.Fatalf("%q → %q changed the tasks", src, ts.String())
		}
	})
}
