package lessons

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/timeline"
)

// The names lessons may quote must be exactly what a run measures.
func TestStatNamesMatchStats(t *testing.T) {
	var got []string
	measured := timeline.Stats{Wall: time.Second, Meta: timeline.Meta{Others: &timeline.Others{}, Memory: &timeline.Memory{Base: 1, Peak: 2, InFlight: 1}}}
	for k := range measured.Values() {
		got = append(got, k)
	}
	want := slices.Clone(statNames)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("Stats.Values keys %v, lessons know %v", got, want)
	}
}

func TestFill(t *testing.T) {
	values := Measured([]map[string]float64{
		{"wall_s": 0.6, "speedup": 1.0, "gil_switches_per_s": 191.6, "tasks": 10000},
		{"wall_s": 0.3, "speedup": 2.0, "task_slowdown_p50": 1.953, "task_wall_p50_s": 0.293, "ipc_bytes": 1.5 * (1 << 20), "startup_s": 0.0042, "gil_wait_s": 0.00025},
	})
	cases := map[string]string{
		"{{speedup}}":             "2.00×",
		"{{ wall }}":              "300 ms",
		"{{run1.wall}}":           "600 ms",
		"{{run1.tasks}}":          "10,000",
		"{{faster_than_run1}}":    "2.00×",
		"{{run1.switches_per_s}}": "192",
		"{{ipc_bytes}}":           "1.5 MB",
		"{{startup}}":             "4.2 ms",
		"{{gil_wait}}":            "250 µs",
		"{{slowdown}}":            "1.95×",
		"{{task_wall}}":           "293 ms",
		"{{cpu}}":                 "…",
		"{{nonsense}}":            "…",
		"no placeholders":         "no placeholders",
	}
	for in, want := range cases {
		if got := Fill(in, values); got != want {
			t.Errorf("Fill(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Fill("took {{wall_s}}", map[string]float64{"wall_s": 2.5}); got != "took 2.5 s" {
		t.Errorf("got %q", got)
	}
}

func TestJudge(t *testing.T) {
	p := &Predict{Choices: []Choice{
		{Text: "faster", When: "speedup >= 1.4"},
		{Text: "in between", When: "speedup >= 1.1 and speedup < 1.4"},
		{Text: "same", When: "speedup < 1.1"},
		{Text: "no condition"},
	}}
	for speedup, want := range map[float64]int{2: 0, 1.2: 1, 0.9: 2} {
		if got := p.Judge(map[string]float64{"speedup": speedup}); got != want {
			t.Errorf("speedup %g: Judge = %d, want %d", speedup, got, want)
		}
	}
	if got := p.Judge(map[string]float64{}); got != -1 {
		t.Errorf("nothing measured: Judge = %d, want -1", got)
	}
	if q := p.Quotes(); !slices.Equal(q, []string{"speedup"}) {
		t.Errorf("Quotes = %v", q)
	}
}

func TestConditions(t *testing.T) {
	values := map[string]float64{"speedup": 1.5, "wall_s": 0.2, "run1.wall_s": 0.4, "gil_switches": 40}
	for src, want := range map[string]bool{
		"speedup > 1.4":                  true,
		"speedup > 1.4x":                 true,
		"wall < 250ms":                   true,
		"wall < 150ms":                   false,
		"run1.wall > wall":               true,
		"gil_switches == 40":             true,
		"1.4 < speedup and speedup <= 2": true,
		"speedup > 1.4 and wall > 1s":    false,
		"cpu > 0":                        false, // not measured
	} {
		c, err := parseCondition(src)
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		if got := c.holds(values); got != want {
			t.Errorf("%q holds = %v, want %v", src, got, want)
		}
	}
	for src, col := range map[string]int{"": 1, "speedup": 8, "speedup <": 10, "1 < 2": 1, "speedup < 1 and": 16, "speedup < 1s5": 13, "speedup ! 1": 9} {
		_, err := parseCondition(src)
		ce, ok := err.(*condError)
		if !ok || ce.col != col {
			t.Errorf("%q: error %v, want one at col %d", src, err, col)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	for word, want := range map[string]string{"modle": "model", "titel": "title", "wrokers": "workers", "xyz": "", "gill": "gil"} {
		got := closest(word, []string{"model", "title", "workers", "gil"})
		if got != want {
			t.Errorf("closest(%q) = %q, want %q", word, got, want)
		}
	}
	if !strings.Contains(didYouMean("spedup", valueNames()), "speedup") {
		t.Error("spedup should suggest speedup")
	}
}

// Truth and Agrees are the one judgement both players use: with conditions the
// measurement decides, and a measurement no choice fits supports none, whatever the
// script answers; without conditions the script's answer stands.
func TestTruth(t *testing.T) {
	judged := &Predict{Answer: "slower", Choices: []Choice{
		{Text: "faster", When: "speedup > 1.3"}, {Text: "slower", When: "speedup < 0.9"}, {Text: "same"}}}
	plain := &Predict{Answer: "b", Choices: []Choice{{Text: "a"}, {Text: "b"}}}
	for _, c := range []struct {
		p        *Predict
		speedup  float64
		truth    int
		measured bool
		agrees   bool
	}{
		{judged, 2, 0, true, false},
		{judged, 0.5, 1, true, true},
		{judged, 1, -1, true, false}, // no condition holds: not the script's answer
		{plain, 2, 1, false, true},
	} {
		v := map[string]float64{"speedup": c.speedup}
		truth, measured := c.p.Truth(v)
		if truth != c.truth || measured != c.measured || c.p.Agrees(v) != c.agrees {
			t.Errorf("speedup %v: Truth = %d, %v; Agrees = %v; want %d, %v, %v",
				c.speedup, truth, measured, c.p.Agrees(v), c.truth, c.measured, c.agrees)
		}
	}
	if got := FormatValue(map[string]float64{"wall_s": 0.3}, "wall"); got != "300 ms" {
		t.Errorf("FormatValue(wall) = %q", got)
	}
	if got := FormatValue(nil, "wall"); got != "…" {
		t.Errorf("FormatValue of nothing = %q", got)
	}
}

// TestTasksOK: tasks_done counts every task that ended, as Future.done() does; text
// that says how many "finished normally" quotes tasks_ok, which leaves out the failed
// and cancelled ones (futures said "1 failed and 7 finished normally" of 7 tasks).
func TestTasksOK(t *testing.T) {
	values := Measured([]map[string]float64{
		{"tasks": 7, "tasks_done": 7, "tasks_failed": 1, "wall_s": 0.2},
		{"tasks": 8, "tasks_done": 8, "tasks_cancelled": 6, "wall_s": 0.1},
	})
	for in, want := range map[string]string{
		"{{run1.tasks_ok}} of {{run1.tasks}}":             "6 of 7",
		"{{tasks_ok}} ran, {{tasks_cancelled}} cancelled": "2 ran, 6 cancelled",
	} {
		if got := Fill(in, values); got != want {
			t.Errorf("Fill(%q) = %q, want %q", in, got, want)
		}
	}
}

// A verdict speaks to the learner: no value name of the script may show through.
func TestSayReadsAsWords(t *testing.T) {
	v := Measured([]map[string]float64{
		{"wall_s": 0.08, "tasks_done": 8, "tasks_failed": 1},
		{"wall_s": 0.04, "parallelism": 1.62, "first_done": 1},
	})
	for name, want := range map[string]string{
		"faster_than_run1":  "2.00× faster than run 1",
		"run1.wall":         "wall 80 ms (run 1)",
		"run2.parallelism":  "cores busy 1.62 (run 2)",
		"first_done":        "task 1 finished first",
		"run1.tasks_failed": "1 failed (run 1)",
		"max_speedup":       "the fitted law's cap …",
		"nonsense":          "nonsense …",
	} {
		if got := Say(v, name); got != want {
			t.Errorf("Say(%q) = %q, want %q", name, got, want)
		}
	}
	for _, name := range valueNames() {
		if said := Say(v, name); strings.Contains(said, "_") {
			t.Errorf("Say(%q) = %q: the script's name shows through", name, said)
		}
	}
	slower := Measured([]map[string]float64{{"wall_s": 0.02}, {"wall_s": 0.13}})
	if got, want := Say(slower, "faster_than_run1"), "6.50× slower than run 1"; got != want {
		t.Errorf("a run slower than run 1: Say = %q, want %q", got, want)
	}
}

// Ratios read to about three figures, as the stats beside them do.
func TestRatiosReadToThreeFigures(t *testing.T) {
	for v, want := range map[float64]string{0.15: "0.15×", 1.874: "1.87×", 9.994: "9.99×", 9.996: "10.0×", 16.58: "16.6×", 99.4: "99.4×", 8460.95: "8,461×"} {
		if got := formatValue("speedup", v); got != want {
			t.Errorf("speedup %v reads %q, want %q", v, got, want)
		}
	}
}
