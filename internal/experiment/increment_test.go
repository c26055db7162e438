package experiment

import (
	"strings"
	"testing"
	"time"
)

func TestParseFailAndAdd(t *testing.T) {
	SetIncrementCost(func(s Sync) time.Duration { return time.Duration(s+1) * time.Nanosecond })
	defer incrementCosts.Store(nil)
	for _, tc := range []struct {
		src, again string
		increments int64
		work       time.Duration
	}{
		{"[cpu(20ms) fail]", "[cpu(20ms) fail]", 0, 20 * time.Millisecond},
		{"3*fail", "3*fail", 0, 0},
		{"2*add(1000000)", "2*add(1000000)", 2_000_000, 2 * time.Millisecond},
		{"add( 10 , LOCK )", "add(10, lock)", 10, 20},
		{"2*[add(5, call) fail add(7, shared)]", "2*[add(5, call) fail add(7, shared)]", 10, 2 * (15 + 28)},
		{"add(9, shared) then cpu(1ms)", "add(9, shared) then cpu(1ms)", 9, time.Millisecond + 36},
	} {
		ts, err := ParseTasks(tc.src)
		if err != nil {
			t.Errorf("ParseTasks(%q): %v", tc.src, err)
			continue
		}
		if ts.String() != tc.again || ts.Increments() != tc.increments || ts.Work() != tc.work {
			t.Errorf("ParseTasks(%q) = %q, %d increments, work %v; want %q, %d, %v",
				tc.src, ts.String(), ts.Increments(), ts.Work(), tc.again, tc.increments, tc.work)
		}
		if again, err := ParseTasks(ts.String()); err != nil || again.String() != ts.String() {
			t.Errorf("%q does not read back: %v", ts.String(), err)
		}
	}
}

func TestParseAddErrorsNameTheColumn(t *testing.T) {
	for _, tc := range []struct {
		src, msg string
		col      int
	}{
		{"add", `expected "(" after add`, 4},
		{"add()", "expected how many increments", 5},
		{"add(0)", "add takes 1 to 1000000000 increments, got 0", 5},
		{"add(5000000000)", "add takes 1 to", 5},
		{"add(5, spin)", `expected lock, call or shared after add(5, …), found "spin"`, 8},
		{"add(5 lock)", `expected ")" to close add`, 7},
		{"fail(1ms)", `expected "," or the end`, 5},
	} {
		_, err := ParseTasks(tc.src)
		var ne *NotationError
		if err == nil || !asNotation(err, &ne) || ne.Col != tc.col || !strings.Contains(ne.Msg, tc.msg) {
			t.Errorf("ParseTasks(%q) = %v; want col %d: …%s…", tc.src, err, tc.col, tc.msg)
		}
	}
}

func asNotation(err error, ne **NotationError) bool {
	e, ok := err.(*NotationError)
	*ne = e
	return ok
}

func TestValidateOutcomes(t *testing.T) {
	ts, _ := ParseTasks("2*add(1000), fail")
	for _, tc := range []struct {
		spec Spec
		msg  string
	}{
		{Spec{Model: Threads, Tasks: ts, CancelAfter: -time.Millisecond}, "cancel-after: must be between 0"},
		{Spec{Model: Threads, Tasks: ts, Sim: true}, "the model machine does not run add steps"},
		{Spec{Model: Threads, Tasks: ts, CancelAfter: time.Millisecond, Sim: true}, "the model machine does not cancel"},
	} {
		if err := tc.spec.Validate(); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("Validate(%+v) = %v; want …%s…", tc.spec, err, tc.msg)
		}
	}
	if err := (Spec{Model: Processes, Tasks: ts, CancelAfter: time.Second}).Validate(); err != nil {
		t.Errorf("a valid spec: %v", err)
	}
	big, _ := ParseTasks("100*add(1000000000)")
	if err := (Spec{Model: Threads, Tasks: big}).Validate(); err == nil || !strings.Contains(err.Error(), "increments in all") {
		t.Errorf("10^11 increments: %v", err)
	}
}
