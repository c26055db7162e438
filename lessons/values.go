package lessons

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/speedup"
)

// statNames are the keys of timeline.Stats.Values(): what a run measures. (lessons may
// not import timeline; a test keeps this list and Stats.Values in step.)
var statNames = []string{
	"workers", "cores", "tasks", "tasks_done", "wall_s", "cpu_s", "parallelism",
	"ideal_serial_s", "speedup", "gil_switches", "gil_switches_per_s", "gil_wait_s",
	"ipc_bytes", "ipc_s", "startup_s", "tasks_failed", "tasks_cancelled", "counter_expected", "counter_final", "counter_lost", "first_done",
	"task_wall_p50_s", "task_wall_max_s", "task_slowdown_p50", "others_cpu_s", "per_task_s", "sampler_cpu_s",
	"memory_per_task_bytes", "first_result_s", "map_first_result_s",
}

// derivedNames are values Measured adds by comparing a step's runs.
var derivedNames = []string{
	"faster_than_run1", // run 1's wall time ÷ this run's: how many times faster than the first run
	"serial_fraction",  // Amdahl's law fitted to the runs' workers and wall times (run 1 is the base)
	"max_speedup",      // 1 ÷ serial_fraction: the fitted law's cap on the speed-up (a run may sit a little above it)
	"tasks_ok",         // tasks_done − tasks_failed − tasks_cancelled: tasks that ran to a normal end
	"vs_run1",          // faster_than_run1, said as "2.00× faster" or "1.04× slower"
	"vs_serial",        // speedup, said as "1.52× faster" or "1.81× slower" (than one thread alone)
}

// aliases are the friendly spellings lesson text may use.
var aliases = map[string]string{
	"wall": "wall_s", "cpu": "cpu_s", "ideal_serial": "ideal_serial_s", "gil_wait": "gil_wait_s",
	"ipc": "ipc_s", "startup": "startup_s", "switches": "gil_switches",
	"switches_per_s": "gil_switches_per_s", "task_wall": "task_wall_p50_s", "slowdown": "task_slowdown_p50", "per_task": "per_task_s",
	"memory_per_task": "memory_per_task_bytes", "first_result": "first_result_s", "map_first_result": "map_first_result_s",
}

// valueNames is every name a lesson may quote, without the runN. prefix.
func valueNames() []string {
	names := append(append([]string{}, statNames...), derivedNames...)
	for a := range aliases {
		names = append(names, a)
	}
	return names
}

var runPrefix = regexp.MustCompile(`^run([0-9]+)\.`)

// splitName parses "run2.wall" into run 2 and the canonical name "wall_s"; run is 0
// when the name quotes the last run. ok is false for a name no run measures.
func splitName(name string) (run int, canonical string, ok bool) {
	if m := runPrefix.FindStringSubmatch(name); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil || n < 1 {
			return 0, "", false
		}
		run, name = n, name[len(m[0]):]
	}
	if a, isAlias := aliases[name]; isAlias {
		name = a
	}
	for _, k := range statNames {
		if k == name {
			return run, name, true
		}
	}
	for _, k := range derivedNames {
		if k == name {
			return run, name, true
		}
	}
	return run, name, false
}

// checkName says what is wrong with a value name quoted where the lesson's latest
// experiment has runs runs (0: no experiment yet), or "" when it is fine.
func checkName(name string, runs int) string {
	run, base, ok := splitName(name)
	switch {
	case !ok:
		return fmt.Sprintf("unknown measured value %q%s", name, didYouMean(strings.TrimPrefix(name, runPrefix.FindString(name)), valueNames()))
	case runs == 0:
		return fmt.Sprintf("%q quotes a run, but no experiment runs before it in this lesson", name)
	case run > runs:
		return fmt.Sprintf("%q quotes run %d, but the experiment has %d run(s)", name, run, runs)
	case (base == "faster_than_run1" || base == "vs_run1") && runs < 2 && run == 0:
		return fmt.Sprintf("%q compares with run 1, so the experiment needs a compare: list", name)
	case (base == "serial_fraction" || base == "max_speedup") && (runs < 2 || run > 0):
		return fmt.Sprintf("%q is fitted over all the runs of an experiment with a compare: list, not quoted per run", name)
	}
	return ""
}

// lookup finds a value by any name checkName accepts.
func lookup(values map[string]float64, name string) (float64, bool) {
	run, base, ok := splitName(name)
	if !ok {
		return 0, false
	}
	if run > 0 {
		base = "run" + strconv.Itoa(run) + "." + base
	}
	v, found := values[base]
	return v, found
}

// Measured merges the values of a step's runs (each timeline.Stats.Values(), in run
// order) into what its text and conditions can quote: the last run's values by name,
// every run's as run1.speedup, run2.wall_s, …, and faster_than_run1.
func Measured(runs []map[string]float64) map[string]float64 {
	out := map[string]float64{}
	if len(runs) == 0 {
		return out
	}
	first := runs[0]["wall_s"]
	for i, r := range runs {
		prefix := "run" + strconv.Itoa(i+1) + "."
		for k, v := range r {
			out[prefix+k] = v
		}
		if w := r["wall_s"]; w > 0 && first > 0 {
			out[prefix+"faster_than_run1"] = first / w
			out[prefix+"vs_run1"] = first / w
		}
		if v, ok := r["speedup"]; ok {
			out[prefix+"vs_serial"] = v
		}
		if done, ok := r["tasks_done"]; ok {
			out[prefix+"tasks_ok"] = done - r["tasks_failed"] - r["tasks_cancelled"]
		}
	}
	for k, v := range runs[len(runs)-1] {
		out[k] = v
	}
	if v, ok := out["run"+strconv.Itoa(len(runs))+".tasks_ok"]; ok {
		out["tasks_ok"] = v
	}
	if v, ok := out["run"+strconv.Itoa(len(runs))+".faster_than_run1"]; ok {
		out["faster_than_run1"], out["vs_run1"] = v, v
	}
	if v, ok := out["run"+strconv.Itoa(len(runs))+".vs_serial"]; ok {
		out["vs_serial"] = v
	}
	if len(runs) >= 2 {
		fitAmdahl(runs, out)
	}
	return out
}

// fitAmdahl adds serial_fraction and max_speedup: Amdahl's law fitted to the runs'
// worker counts and speed-ups. Each run's speed-up is over the calibrated serial time,
// not over run 1, so a real run 1 slowed by a busy machine does not skew every point.
func fitAmdahl(runs []map[string]float64, out map[string]float64) {
	points := make([]speedup.Point, 0, len(runs))
	for _, r := range runs {
		if r["speedup"] > 0 {
			points = append(points, speedup.Point{Workers: int(r["workers"]), Cores: int(r["cores"]), Speedup: r["speedup"]})
		}
	}
	fit := speedup.FitAmdahl(points)
	out["serial_fraction"], out["max_speedup"] = fit.SerialFraction, fit.MaxSpeedup
}

var placeholder = regexp.MustCompile(`\{\{\s*([^{}]*?)\s*\}\}`)

// Fill replaces {{name}} placeholders (speedup, wall, gil_switches_per_s, … — the
// Stats.Values keys, plus friendly aliases and run2.wall style names from Measured) in
// step text with formatted measured values; placeholders with no value yet render as "…".
func Fill(text string, values map[string]float64) string {
	text = fillIfs(text, values)
	if !strings.Contains(text, "{{") {
		return text
	}
	return placeholder.ReplaceAllStringFunc(text, func(m string) string {
		return FormatValue(values, placeholder.FindStringSubmatch(m)[1])
	})
}

// placeholders calls fn with every {{name}} in line and the column (in runes, from 1)
// where its name starts.
func placeholders(line string, fn func(name string, col int)) {
	cols := columns{s: line}
	for _, m := range placeholder.FindAllStringSubmatchIndex(line, -1) {
		fn(line[m[2]:m[3]], cols.at(m[2]))
	}
}

// columns turns byte offsets of one line, asked in increasing order, into 1-based
// character columns, counting each rune once: counting from the start of the line for
// every offset made a megabyte of {{cpu}} take half a minute to check.
type columns struct {
	s        string
	off, col int // the last offset asked and its column - 1
}

func (c *columns) at(off int) int {
	if off < c.off { // asked out of order: count again from the start
		c.off, c.col = 0, 0
	}
	c.col += utf8.RuneCountInString(c.s[c.off:off])
	c.off = off
	return c.col + 1
}

// formatValue spells a measured value with its unit: times as "240 ms" or "1.52 s",
// ratios as "1.52×", parallelism (cores busy) as "1.84", byte counts as "1.5 MB", counts as "10,000".
func formatValue(name string, v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "…"
	case name == "vs_run1" || name == "vs_serial":
		return fasterOrSlower(v)
	case name == "speedup" || name == "faster_than_run1" || name == "max_speedup" || name == "task_slowdown_p50":
		return formatRatio(v)
	case name == "serial_fraction":
		return strconv.FormatFloat(v, 'f', 3, 64)
	case name == "parallelism": // cores busy on average: "1.84 cores"
		return strconv.FormatFloat(v, 'f', 2, 64)
	case strings.HasSuffix(name, "_per_s"):
		return groupThousands(math.Round(v))
	case strings.HasSuffix(name, "_s"):
		return experiment.FormatDuration(time.Duration(math.Round(v*float64(time.Second))), experiment.Prose)
	case strings.HasSuffix(name, "_bytes"):
		return experiment.FormatSize(int64(math.Round(v)), experiment.Prose)
	}
	if v == math.Trunc(v) {
		return groupThousands(v)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// fasterOrSlower spells a ratio of speeds as one kind of ratio a learner reads without
// decoding: "2.00× faster" or "1.04× slower", never "0.96× faster".
func fasterOrSlower(v float64) string {
	if v > 0 && v < 1 {
		return formatRatio(1/v) + " slower"
	}
	return formatRatio(v) + " faster"
}

// formatRatio spells a ratio to three figures or so: "1.87×", "16.6×", "8,461×".
func formatRatio(v float64) string {
	switch a := math.Abs(v); {
	case a >= 99.5:
		return groupThousands(math.Round(v)) + "×"
	case a >= 9.995:
		return strconv.FormatFloat(v, 'f', 1, 64) + "×"
	}
	return strconv.FormatFloat(v, 'f', 2, 64) + "×"
}

// groupThousands spells a whole number as 10,000.
func groupThousands(v float64) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', 0, 64)
	var b strings.Builder
	if v < 0 {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
