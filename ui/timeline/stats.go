package timeline

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"charm.land/lipgloss/v2/table"
	"github.com/charmbracelet/x/ansi"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
)

// statRow is one measured figure, with the models it says something about.
type statRow struct {
	name    string
	value   func(s timeline.Stats) string
	applies func(s timeline.Stats) bool
}

func always(timeline.Stats) bool { return true }

// hasTasks is false for a watched command: it has no planned tasks to measure against.
func hasTasks(s timeline.Stats) bool { return s.Tasks > 0 }

// hasGIL: the GIL models, and a watched program with a CPython process in it (the
// only kind whose GIL figures are ever more than zero).
func hasGIL(s timeline.Stats) bool {
	return isModel(experiment.GIL, experiment.PyThreads)(s) || s.Model == watchModel && (s.GILSwitches > 0 || s.GILWait > 0)
}

func isModel(models ...experiment.Model) func(timeline.Stats) bool {
	return func(s timeline.Stats) bool {
		for _, m := range models {
			if s.Model == string(m) {
				return true
			}
		}
		return false
	}
}

// statRows are the figures in the order a learner reads them: how long, how much
// work, how parallel, how much faster, then what the model cost.
var statRows = []statRow{
	{"wall", func(s timeline.Stats) string { return experiment.FormatDuration(s.Wall, experiment.Short) }, always},
	{"cpu", func(s timeline.Stats) string { return experiment.FormatDuration(s.CPU, experiment.Short) }, always},
	{"parallelism", func(s timeline.Stats) string { return fmt.Sprintf("%.2f cores", s.Parallelism) }, always},
	{"ideal serial", func(s timeline.Stats) string { return experiment.FormatDuration(s.IdealSerial, experiment.Short) }, hasTasks},
	{"speedup", speedupFigure, hasTasks},
	{"tasks", func(s timeline.Stats) string { return fmt.Sprintf("%d/%d", s.TasksDone, s.Tasks) }, hasTasks},
	{"outcomes", outcomes, func(s timeline.Stats) bool { return s.TasksFailed+s.TasksCancelled > 0 }},
	{"finish order", finishOrder, outOfOrder},
	{"counter", counter, func(s timeline.Stats) bool { return s.CounterExpected > 0 }},
	{"memory", func(s timeline.Stats) string {
		return experiment.FormatSize(int64(s.Memory.PerTask()), experiment.Prose) + " per waiting task"
	}, func(s timeline.Stats) bool { return s.Memory.PerTask() > 0 }},
	{"gil switches", func(s timeline.Stats) string {
		return fmt.Sprintf("%d (%.0f/s)", s.GILSwitches, s.GILSwitchesPerS)
	}, hasGIL},
	{"gil wait", func(s timeline.Stats) string { return experiment.FormatDuration(s.GILWait, experiment.Short) }, hasGIL},
	{"not drawn", notDrawn, func(s timeline.Stats) bool { return s.Unattributed > 0 }},
	{"per task", func(s timeline.Stats) string {
		return experiment.FormatDuration(s.Wall/time.Duration(max(s.Tasks, 1)), experiment.Short) + " (wall ÷ tasks)"
	}, isModel(experiment.Processes, experiment.Asyncio, experiment.PyProcesses, experiment.PyPool, experiment.PyAsyncio, experiment.PyThreads)},
	{"ipc", func(s timeline.Stats) string {
		return experiment.FormatSize(s.IPCBytes, experiment.Prose) + " in " + experiment.FormatDuration(s.IPC, experiment.Short)
	}, isModel(experiment.Processes)},
	{"start-up", func(s timeline.Stats) string { return experiment.FormatDuration(s.Startup, experiment.Short) }, isModel(experiment.Processes)},
	{"per core", perCore, func(s timeline.Stats) bool { return len(s.PerCore) > 0 }},
	{"sampler", func(s timeline.Stats) string {
		return experiment.FormatDuration(s.SamplerCPU, experiment.Short) + " of CPU watching"
	}, func(s timeline.Stats) bool { return s.SamplerCPU > 0 }},
}

// notDrawn says how much of a watched tree's CPU no lane holds, and whether per core
// counts it.
func notDrawn(s timeline.Stats) string {
	out := experiment.FormatDuration(s.Unattributed, experiment.Short) + " CPU from processes gone between samples"
	for _, c := range s.PerCore {
		if c.Placed > 0 {
			return out + " · placed by /proc/stat"
		}
	}
	return out
}

// perCore says how busy each core was, as a share of the wall time.
func perCore(s timeline.Stats) string {
	parts := make([]string, len(s.PerCore))
	for i, c := range s.PerCore {
		pct := 0.0
		if s.Wall > 0 {
			pct = 100 * c.Busy.Seconds() / s.Wall.Seconds()
		}
		parts[i] = fmt.Sprintf("%d:%.0f%%", c.CPU, pct)
	}
	return strings.Join(parts, " ")
}

// renderStats lays out the figures of one or more runs, width columns wide: one run
// as label-value pairs packed into lines, several as a table with a column per run.
func renderStats(stats []timeline.Stats, width int, p *painter) string {
	if len(stats) == 0 {
		return ""
	}
	out := tableStats(stats, width, p)
	if len(stats) == 1 {
		out = packStats(stats[0], width, p)
	}
	return out + observedNotes(stats, width, p)
}

// observedNotes says, once per kind, how runs observed from outside were seen (a
// /proc sampler infers states; elsewhere only task spans), so no view passes an
// inference off as a measurement.
func observedNotes(stats []timeline.Stats, width int, p *painter) string {
	var out []string
	for _, s := range stats {
		if line := "ⓘ " + s.Note; s.Note != "" && !slices.Contains(out, line) {
			out = append(out, line)
		}
	}
	for i, line := range out {
		out[i] = p.text(ansi.Truncate(line, width, "…"), common.ToneSubtle)
	}
	if len(out) == 0 {
		return ""
	}
	return "\n" + strings.Join(out, "\n")
}

func packStats(s timeline.Stats, width int, p *painter) string {
	var lines []string
	var line strings.Builder
	w := 0
	for _, r := range statRows {
		if !r.applies(s) {
			continue
		}
		item := p.text(r.name, common.ToneSubtle) + " " + r.value(s)
		iw := ansi.StringWidth(item)
		if w > 0 && w+3+iw > width {
			lines = append(lines, line.String())
			line.Reset()
			w = 0
		}
		if w > 0 {
			line.WriteString("   ")
			w += 3
		}
		line.WriteString(item)
		w += iw
	}
	if w > 0 {
		lines = append(lines, line.String())
	}
	for i := range lines {
		lines[i] = common.TruncateLine(lines[i], width)
	}
	return strings.Join(lines, "\n")
}

// tableStats lays out several runs' figures as a table (lipgloss's), a column per
// run, the runs' columns sharing what the names leave. Cells arrive painted, so the
// table needs no styles of its own and draws the same plain.
func tableStats(stats []timeline.Stats, width int, p *painter) string {
	nameW := 0
	for _, r := range statRows {
		nameW = max(nameW, len(r.name))
	}
	colW := max((width-nameW)/len(stats)-1, 4)
	head := []string{""}
	for i, name := range columnNames(stats) {
		head = append(head, columnHead(i+1, name, colW, p))
	}
	tbl := table.New().Headers(head...).Border(lipgloss.HiddenBorder()).
		BorderTop(false).BorderBottom(false).BorderLeft(false).BorderRight(false).BorderHeader(false).
		StyleFunc(func(_, col int) lipgloss.Style {
			if col == 0 {
				return lipgloss.NewStyle().Width(nameW)
			}
			return lipgloss.NewStyle().Width(colW)
		})
	for _, r := range statRows {
		row := []string{p.text(r.name, common.ToneSubtle)}
		applies := false
		for _, s := range stats {
			v := "-"
			if r.applies(s) {
				v, applies = r.value(s), true
			}
			row = append(row, common.TruncateLine(v, colW))
		}
		if applies {
			tbl.Row(row...)
		}
		if r.name == "wall" && stats[0].Wall > 0 {
			tbl.Row(fasterRow(stats, colW, p)...)
		}
	}
	lines := strings.Split(tbl.String(), "\n")
	for i := range lines {
		lines[i] = common.TruncateLine(strings.TrimRight(lines[i], " "), width)
	}
	return strings.Join(lines, "\n")
}

// columnHead heads run n's column with its name when it fits the column, else "run
// n": the runs' titles, in the same order, say what ran. Never a name cut mid-word.
func columnHead(n int, name string, colW int, p *painter) string {
	text := fmt.Sprintf("%d %s", n, name)
	if common.LineWidth(text) > colW-1 { // lipgloss keeps a column for its padding
		text = fmt.Sprintf("run %d", n)
	}
	return p.text(text, common.ToneHeader)
}

// fasterRow is each run's speed against run 1's, by wall time: the figure a lesson's
// text and verdict quote for a comparison ("1.98× faster than run 1"). The speedup row
// is against the calibrated serial time instead, and the two differ.
func fasterRow(stats []timeline.Stats, colW int, p *painter) []string {
	row := []string{p.text("vs run 1", common.ToneSubtle)}
	for _, s := range stats {
		v := "-"
		if s.Wall > 0 {
			v = fmt.Sprintf("%.2f×", stats[0].Wall.Seconds()/s.Wall.Seconds())
		}
		row = append(row, common.TruncateLine(v, colW))
	}
	return row
}

// headline is one run's key figures in a few words, for lists of recent runs.
func Headline(s timeline.Stats) string {
	out := fmt.Sprintf("wall %s · speedup %.2f× · parallelism %.2f", experiment.FormatDuration(s.Wall, experiment.Short), s.Speedup, s.Parallelism)
	if s.Model == string(experiment.GIL) {
		out += fmt.Sprintf(" · %d gil switches", s.GILSwitches)
	}
	return out
}

// speedupFigure is ideal serial ÷ wall, or a measured one-worker run's wall ÷ wall,
// which the row then says. Past what the cores could give, a bare figure such as
// "9266.87×" reads as a mistake; it is waits overlapping, and the row says so.
func speedupFigure(s timeline.Stats) string {
	vs := ""
	if s.SpeedupVs == timeline.SpeedupMeasured {
		vs = " vs a measured one-worker run"
	}
	if cores := max(s.Cores, 1); s.Speedup > 2*float64(cores) {
		return fmt.Sprintf("%.0f×%s (more than %d cores can give: the waits overlapped)", s.Speedup, vs, cores)
	}
	return fmt.Sprintf("%.2f×%s", s.Speedup, vs)
}

// columnNames heads the runs' columns by model and workers, or where two runs share
// those (a lock, a payload, a chunk size apart) by the names the runs were given.
func columnNames(stats []timeline.Stats) []string {
	out := make([]string, len(stats))
	seen := map[string]int{}
	for i, s := range stats {
		out[i] = fmt.Sprintf("%s ×%d", s.Model, s.Workers)
		seen[out[i]]++
	}
	for i, s := range stats {
		if seen[out[i]] > 1 && s.Name != "" {
			out[i] = s.Name
		}
	}
	return out
}
