package ui

import (
	"fmt"
	"runtime"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/ui/common"
	"github.com/coreography/coreography/ui/panel"
)

// This file is how the lab's keys edit its spec: one key per field, each cycling
// through values that show something (chunk sizes from one task a message to a
// thousand, switch intervals either side of CPython's 5 ms, payloads from none to
// 10 MB), and how a spec is named where the lab lists or compares runs.

// labChunkSizes are the chunk sizes k cycles through; 0 is automatic (four chunks
// per worker, as multiprocessing.Pool.map).
var labChunkSizes = []int{0, 1, 10, 100, 1000}

// labSwitchIntervals are the switch intervals i cycles through; 0 is CPython's 5 ms.
var labSwitchIntervals = []time.Duration{0, time.Millisecond, 100 * time.Microsecond, 20 * time.Millisecond}

// labPayloads are the payloads p gives every task, in and out, in bytes: what a
// process pool must copy through its pipes.
var labPayloads = [][2]int64{{0, 0}, {1 << 10, 1 << 10}, {1 << 20, 1 << 20}, {10 << 20, 1 << 10}}

// edit changes the spec as the key says. handled is false for keys that are not
// the lab's spec keys; changed is false for one that means nothing for this model
// (more workers for serial, a chunk size for threads).
func (l *Lab) edit(msg tea.KeyPressMsg) (handled, changed bool) {
	k, s := l.c.Keys.Lab, &l.spec
	before := panel.RunTitle(*s) + fmt.Sprint(s.Cores, s.Sim, s.Workers)
	switch {
	case key.Matches(msg, k.Model):
		*s = s.WithModel(nextModel(s.Model))
	case key.Matches(msg, k.MoreWorkers):
		if !s.Model.OneWorker() {
			s.Workers = s.Normalized().Workers + 1
		}
	case key.Matches(msg, k.FewerWorkers):
		if !s.Model.OneWorker() {
			s.Workers = max(s.Normalized().Workers-1, 1)
		}
	case key.Matches(msg, k.Cores):
		// Workers left to default follow the cores; c changes only the cores.
		s.Workers = s.Normalized().Workers
		s.Cores = nextCores(*s)
	case key.Matches(msg, k.Sim):
		s.Sim = !s.Sim
		if !s.Sim && s.Cores > runtime.NumCPU() {
			s.Cores = 0 // the model machine's cores do not exist here
		}
	case key.Matches(msg, k.TaskMix):
		l.mix = (l.mix + 1) % len(labMixes)
		s.Tasks, _ = experiment.ParseTasks(labMixes[l.mix].tasks)
	case key.Matches(msg, k.Bigger):
		s.Tasks = s.Tasks.Scale(2, 1)
	case key.Matches(msg, k.Smaller):
		s.Tasks = s.Tasks.Scale(1, 2)
	case key.Matches(msg, k.ChunkSize):
		if s.Model.Chunked() {
			s.ChunkSize = next(labChunkSizes, s.ChunkSize)
		}
	case key.Matches(msg, k.SwitchInterval):
		if s.Model.Switched() {
			s.SwitchInterval = next(labSwitchIntervals, s.SwitchInterval)
		}
	case key.Matches(msg, k.Payload):
		in, out := payloadOf(s.Tasks)
		p := next(labPayloads, [2]int64{in, out})
		s.Tasks = withPayload(s.Tasks, p[0], p[1])
	default:
		return false, false
	}
	return true, panel.RunTitle(*s)+fmt.Sprint(s.Cores, s.Sim, s.Workers) != before
}

// next is the value after v in values, or the first when v is not among them.
func next[T comparable](values []T, v T) T {
	for i, x := range values {
		if x == v {
			return values[(i+1)%len(values)]
		}
	}
	return values[0]
}

// payloadOf is the payload the tasks carry when every task carries the same one;
// -1, -1 when they differ.
func payloadOf(ts experiment.Tasks) (in, out int64) {
	for i, g := range ts.Groups {
		if i == 0 {
			in, out = g.Task.In, g.Task.Out
		} else if g.Task.In != in || g.Task.Out != out {
			return -1, -1
		}
	}
	return in, out
}

// withPayload is ts with every task carrying in and out bytes.
func withPayload(ts experiment.Tasks, in, out int64) experiment.Tasks {
	groups := append([]experiment.Group(nil), ts.Groups...)
	for i := range groups {
		groups[i].Task.In, groups[i].Task.Out = in, out
	}
	return experiment.Tasks{Groups: groups}
}

// knobs are the lab's fields that only some models have, as spec lines' parts:
// the chunk size of a process pool, the switch interval of a GIL.
func (l *Lab) knobs(field func(name, value, keys string) string) string {
	k, s := l.c.Keys.Lab, l.spec
	var parts []string
	if s.Model.Chunked() {
		v := "auto"
		if s.ChunkSize > 0 {
			v = fmt.Sprint(s.ChunkSize)
		}
		parts = append(parts, field("chunk", v, common.HelpKey(k.ChunkSize)))
	}
	if s.Model.Switched() {
		parts = append(parts, field("switch", experiment.FormatDuration(s.Normalized().SwitchInterval, experiment.Short), common.HelpKey(k.SwitchInterval)))
	}
	return strings.Join(parts, "  ")
}

// placeKnobs puts the model's own fields at the end of the first spec line that
// has room for them, or on a line of their own.
func placeKnobs(lines []string, knobs string, width int) []string {
	if knobs == "" {
		return lines
	}
	for i, l := range lines {
		if ansi.StringWidth(l)+2+ansi.StringWidth(knobs) <= width {
			lines[i] += "  " + knobs
			return lines
		}
	}
	return append(lines, knobs)
}

// unchangedNote says why a spec key changed nothing (idle: it was one, and did), so
// a key listed in help never seems dead: a chunk size with no process pool, workers
// for a one-worker model. "" when there is nothing to say.
func unchangedNote(k common.LabKeys, msg tea.KeyPressMsg, s experiment.Spec, idle bool) string {
	if !idle {
		return ""
	}
	switch {
	case key.Matches(msg, k.ChunkSize):
		return common.HelpKey(k.ChunkSize) + ": a chunk size is for process pools; " + common.HelpKey(k.Model) + " changes the model"
	case key.Matches(msg, k.SwitchInterval):
		return common.HelpKey(k.SwitchInterval) + ": a switch interval is for the GIL (gil, py-threads); " + common.HelpKey(k.Model) + " changes the model"
	case s.Model.OneWorker() && key.Matches(msg, k.MoreWorkers, k.FewerWorkers):
		return string(s.Model) + " runs one worker; " + common.HelpKey(k.Model) + " changes the model"
	case key.Matches(msg, k.FewerWorkers):
		return "one worker is the fewest"
	case key.Matches(msg, k.Beside) && s.Model.Counterpart() == "":
		return common.HelpKey(k.Beside) + ": no CPython twin for " + string(s.Model) + " (CPython's threads have a GIL: try gil, " + common.HelpKey(k.Model) + ")"
	}
	return ""
}
