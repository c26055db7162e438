package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/ui/internal/uitest"
	"github.com/coreography/coreography/ui/panel"
)

// labRunNow runs the lab's spec with the fake engine and hands the lab what the
// program would: the panel's finished message, then the lab's RunsDoneMsg.
func labRunNow(t *testing.T, lab *Lab) {
	t.Helper()
	lab.Update(uitest.Pump(t, lab.Update, press(lab, "r"), isRunsDone))
}

// isRunsDone tells the message a run panel sends when its runs are over.
func isRunsDone(msg tea.Msg) bool {
	_, ok := msg.(panel.RunsDoneMsg)
	return ok
}

// TestLabKnobKeys: k cycles a process pool's chunk size, i a GIL's switch interval,
// p every task's payload; each shows in the spec lines, and a key that means
// nothing for the model changes nothing.
func TestLabKnobKeys(t *testing.T) {
	lab := NewLab(uitest.Common(&uitest.Runner{}), experiment.Spec{Model: experiment.Processes, Workers: 2, Tasks: uitest.Tasks(t, "8*cpu(100ms)")})
	lab.SetSize(80, 24)
	for _, want := range []int{1, 10, 100, 1000, 0} {
		press(lab, "k")
		if lab.spec.ChunkSize != want || lab.spec.Validate() != nil {
			t.Fatalf("k: chunk size %d (%v), want %d", lab.spec.ChunkSize, lab.spec.Validate(), want)
		}
	}
	press(lab, "k")
	if v := uitest.Plain(lab.View()); !strings.Contains(v, "chunk 1 k") || strings.Contains(v, "switch") {
		t.Errorf("processes, chunk size 1: the spec lines say\n%s", v)
	}
	press(lab, "pp")
	if in, out := payloadOf(lab.spec.Tasks); in != 1<<20 || out != 1<<20 || !strings.Contains(uitest.Plain(lab.View()), "in=1MB out=1MB") {
		t.Errorf("p twice: payload %d/%d; view\n%s", in, out, uitest.Plain(lab.View()))
	}
	press(lab, "pp")
	if in, out := payloadOf(lab.spec.Tasks); in != 0 || out != 0 {
		t.Errorf("p four times: payload %d/%d, want none again", in, out)
	}
	before := lab.spec
	press(lab, "i") // no switch interval in a process pool
	if lab.spec.SwitchInterval != 0 || panel.RunTitle(lab.spec) != panel.RunTitle(before) {
		t.Errorf("i on processes changed the spec: %s", panel.RunTitle(lab.spec))
	}

	lab = NewLab(uitest.Common(&uitest.Runner{}), experiment.Spec{Model: experiment.GIL, Workers: 2, Tasks: uitest.Tasks(t, "8*cpu(100ms)")})
	lab.SetSize(80, 24)
	if v := uitest.Plain(lab.View()); !strings.Contains(v, "switch 5ms i") || strings.Contains(v, "chunk") {
		t.Errorf("gil: the spec lines say\n%s", v)
	}
	for _, want := range []time.Duration{time.Millisecond, 100 * time.Microsecond, 20 * time.Millisecond, 0} {
		press(lab, "i")
		if lab.spec.SwitchInterval != want || lab.spec.Validate() != nil {
			t.Fatalf("i: switch interval %v (%v), want %v", lab.spec.SwitchInterval, lab.spec.Validate(), want)
		}
		shown := "switch " + experiment.FormatDuration(lab.spec.Normalized().SwitchInterval, experiment.Short) + " i"
		if v := uitest.Plain(lab.View()); !strings.Contains(v, shown) { // drawn again, not the cached line
			t.Fatalf("after i the spec lines do not say %q:\n%s", shown, v)
		}
	}
	press(lab, "k")
	if lab.spec.ChunkSize != 0 {
		t.Errorf("k on gil set a chunk size: %d", lab.spec.ChunkSize)
	}
}

// TestLabKnobsFit: on the model machine the first spec line is full, so the
// model's own fields move to the next line with room rather than being cut.
func TestLabKnobsFit(t *testing.T) {
	lab := NewLab(uitest.Common(&uitest.Runner{}), experiment.Spec{Model: experiment.Processes, Workers: 2, Tasks: uitest.Tasks(t, "8*cpu(100ms)")})
	lab.SetSize(80, 24)
	press(lab, "Sk")
	lines := strings.Split(uitest.Plain(lab.View()), "\n")
	if !strings.Contains(lines[0], "SIMULATED") || !strings.Contains(lines[1], "chunk 1 k") {
		t.Errorf("sim, chunk 1 at 80 columns:\n%s\n%s", lines[0], lines[1])
	}
}

// TestLabCompareGolden: after x the header names the two runs it shows, not the
// spec the lab would run next; after x again, the last run by its own spec.
func TestLabCompareGolden(t *testing.T) {
	lab := NewLab(uitest.Common(&uitest.Runner{}), experiment.Spec{Model: experiment.GIL, Workers: 2, Tasks: uitest.Tasks(t, "4*cpu(20ms)")})
	lab.SetSize(80, 24)
	labRunNow(t, lab)
	press(lab, "i") // switch 1ms
	labRunNow(t, lab)
	press(lab, "i") // edited again: the header would name 100µs, which never ran
	var out strings.Builder
	for _, name := range []string{"x: compare", "x again: the last run"} {
		press(lab, "x")
		view := lab.View()
		uitest.CheckWidth(t, view, 80)
		out.WriteString(name + ":\n" + uitest.Plain(view) + "\n\n")
	}
	got := out.String()
	for _, want := range []string{"compare: gil ×2 vs gil ×2 (switch 1ms) · 4*cpu(20ms)", "last run: gil ×2 · 4*cpu(20ms) · switch 1ms"} {
		if !strings.Contains(got, want) {
			t.Errorf("no header %q in\n%s", want, got)
		}
	}
	golden.RequireEqual(t, got)
}

// TestLabJumpKeys: in the lab g and G jump to the start and end of a zoomed run (a
// draws the speed-up curve, so g is free), as home and end do; where each lands is
// the panel's own test (TestJumpKeys).
func TestLabJumpKeys(t *testing.T) {
	lab := NewLab(uitest.Common(&uitest.Runner{}), experiment.Spec{Model: experiment.GIL, Workers: 2, Tasks: uitest.Tasks(t, "8*cpu(100ms)")})
	lab.SetSize(100, 30)
	labRunNow(t, lab)
	press(lab, "+++")
	views := map[string]string{}
	for _, k := range []string{"G", "g", "end", "home"} {
		lab.Update(uitest.Key(k))
		views[k] = lab.View()
		if lab.curve {
			t.Errorf("%s drew the speed-up curve", k)
		}
	}
	if views["G"] == views["g"] || views["G"] != views["end"] || views["g"] != views["home"] {
		t.Errorf("g and G do not jump as home and end do:\nG:\n%s\ng:\n%s", uitest.Plain(views["G"]), uitest.Plain(views["g"]))
	}
}

// TestLabIdleKeySays: a spec key that means nothing for the model (listed in help
// all the same) says why on a line of its own, until the next key.
func TestLabIdleKeySays(t *testing.T) {
	lab := NewLab(uitest.Common(&uitest.Runner{}), experiment.Spec{Model: experiment.Threads, Workers: 2, Tasks: uitest.Tasks(t, "8*cpu(100ms)")})
	lab.SetSize(80, 24)
	for keys, want := range map[string]string{
		"k":  "k: a chunk size is for process pools; m changes the model",
		"i":  "i: a switch interval is for the GIL (gil, py-threads); m changes the model",
		"WW": "one worker is the fewest",
		"b":  "b: no CPython twin for threads (CPython's threads have a GIL: try gil, m)",
	} {
		press(lab, keys)
		if v := uitest.Plain(lab.View()); !strings.Contains(v, want) {
			t.Errorf("%s on threads: no %q in\n%s", keys, want, v)
		}
		uitest.CheckWidth(t, lab.View(), 80)
	}
	press(lab, "w")
	if v := uitest.Plain(lab.View()); strings.Contains(v, "fewest") {
		t.Errorf("w changed the workers, yet the note stays:\n%s", v)
	}
	serial := NewLab(uitest.Common(&uitest.Runner{}), experiment.Spec{Model: experiment.Serial, Tasks: uitest.Tasks(t, "8*cpu(100ms)")})
	serial.SetSize(80, 24)
	if press(serial, "w"); !strings.Contains(uitest.Plain(serial.View()), "serial runs one worker") {
		t.Errorf("w on serial: no note\n%s", uitest.Plain(serial.View()))
	}
}
