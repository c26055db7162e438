package lessons

import (
	"fmt"
	"strconv"
	"strings"
)

// How a prediction is judged and how a measured value is spelled: the TUI and the
// headless player both ask here, so they cannot disagree on either.

// Truth is the choice a run's values make right: when the choices carry conditions,
// the first one the values satisfy (-1 when none does: the measurement supports no
// choice, whatever the script answers); without conditions, the script's answer.
// measured reports whether the values decided it.
func (p *Predict) Truth(values map[string]float64) (choice int, measured bool) {
	if p.Judged() {
		return p.Judge(values), true
	}
	return p.AnswerIndex(), false
}

// Agrees reports whether the values bear out the script's answer: always for a
// prediction without conditions, which a run cannot contradict.
func (p *Predict) Agrees(values map[string]float64) bool {
	truth, measured := p.Truth(values)
	return !measured || (truth >= 0 && truth == p.AnswerIndex())
}

// FormatValue spells the measured value name (as a {{name}} placeholder would take
// it: speedup, wall, run1.wall_s, …) with its unit; "…" when values has none.
func FormatValue(values map[string]float64, name string) string {
	v, ok := lookup(values, name)
	if !ok {
		return "…"
	}
	_, base, _ := splitName(name)
	return formatValue(base, v)
}

// Say spells a measured value as a learner reads it in a verdict: "1.87× faster than
// run 1", "cores busy 1.62 (run 2)", "2 failed". The names of the script stay the
// author's; a learner should not have to decode faster_than_run1.
func Say(values map[string]float64, name string) string {
	run, base, ok := splitName(name)
	if !ok {
		return name + " " + FormatValue(values, name)
	}
	phrase, ok := phrases[base]
	if !ok {
		phrase = strings.ReplaceAll(strings.TrimSuffix(base, "_s"), "_", " ") + " %s"
	}
	said := fmt.Sprintf(phrase, FormatValue(values, name))
	if v, ok := lookup(values, name); ok && base == "faster_than_run1" && v > 0 && v < 1 {
		said = formatValue(base, 1/v) + " slower than run 1" // not "0.15× faster"
	}
	if run > 0 {
		said += " (run " + strconv.Itoa(run) + ")"
	}
	return said
}

// phrases are the verdict's words for the values whose names read poorly; %s is the
// value. The rest are spelled from their names: "speedup 1.87×", "gil switches 412".
var phrases = map[string]string{
	"faster_than_run1":      "%s faster than run 1",
	"vs_run1":               "%s than run 1",
	"vs_serial":             "%s than one thread alone",
	"memory_per_task_bytes": "memory per waiting task %s",
	"wall_s":                "wall %s",
	"cpu_s":                 "CPU %s",
	"parallelism":           "cores busy %s",
	"gil_switches":          "GIL switches %s",
	"gil_switches_per_s":    "GIL switches %s/s",
	"gil_wait_s":            "GIL wait %s",
	"ipc_s":                 "IPC %s",
	"ipc_bytes":             "IPC %s",
	"first_done":            "task %s finished first",
	"tasks_done":            "%s tasks done",
	"tasks_failed":          "%s failed",
	"tasks_cancelled":       "%s cancelled",
	"tasks_ok":              "%s finished normally",
	"task_wall_p50_s":       "median task %s",
	"task_slowdown_p50":     "median task took %s its time alone",
	"counter_expected":      "counter should reach %s",
	"counter_final":         "counter ended at %s",
	"counter_lost":          "%s updates lost",
	"per_task_s":            "%s per task",
	"max_speedup":           "the fitted law's cap %s",
	"serial_fraction":       "fitted serial fraction %s",
}
