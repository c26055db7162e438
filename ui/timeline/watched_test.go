package timeline

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
)

// A watched lane's label is cut at the command's end, then the command goes, then the
// name is cut: the pid or tid is always whole.
func TestFitLabelKeepsThePidWhole(t *testing.T) {
	for _, tc := range []struct {
		label string
		width int
		want  string
	}{
		{"3 python3 · pid 4242 · python3 app.py", 40, "3 python3 · pid 4242 · python3 app.py"},
		{"3 python3 · pid 4242 · python3 app.py", 26, "3 python3 · pid 4242 · py…"},
		{"3 python3 · pid 4242 · python3 app.py", 21, "3 python3 · pid 4242"},
		{"12 python3.11 · tid 1234567", 22, "12 pyth… · tid 1234567"},
		{"T1", 1, "…"},
	} {
		got := fitLabel(tc.label, tc.width)
		if got != tc.want || ansi.StringWidth(got) > tc.width {
			t.Errorf("fitLabel(%q, %d) = %q, want %q", tc.label, tc.width, got, tc.want)
		}
	}
}

// Only a name that is the mark carries it; a number inside a name is no mark.
func TestLaneLabelPrefixesEveryWatchedLane(t *testing.T) {
	for lane, name := range map[int]string{0: "T1", 1: "worker 2 · pid 77", 2: "python3 · tid 3", 3: "awk · pid 4"} {
		got := laneLabel(lane, name, true)
		carries := strings.HasPrefix(name, "T") || strings.HasPrefix(name, "worker")
		if carries != (got == name) {
			t.Errorf("laneLabel(%d, %q) = %q", lane, name, got)
		}
	}
}

// Every shown lane's mark lands on a core row: in a free cell, or by moving another
// lane's only mark to another cell of its own.
func TestMarkEveryLane(t *testing.T) {
	rows := [][]cell{{{'1', 0}, {'2', 0}, {common.GlyphBlank, 0}}}
	best := [][]cellAt{
		{{core: 0, col: 0, cover: 5}},
		{{core: 0, col: 1, cover: 5}, {core: 0, col: 2, cover: 1}},
		{{core: 0, col: 1, cover: 3}},
	}
	markEveryLane(rows, best, 3)
	var got string
	for _, c := range rows[0] {
		got += string(c.r)
	}
	if got != "132" {
		t.Fatalf("core row %q, want lane 3 in lane 2's cell and lane 2 moved to its other one", got)
	}
	if stateName(timeline.WaitGIL, true) != "asleep (likely the GIL)" || stateName(timeline.WaitGIL, false) != "wait-gil" {
		t.Errorf("state names: %q %q", stateName(timeline.WaitGIL, true), stateName(timeline.WaitGIL, false))
	}
}
