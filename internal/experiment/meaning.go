package experiment

import (
	"slices"
	"time"
)

// What a spec means, for everyone who edits or runs one: the lab, the engines and
// the command line ask here rather than each encoding it again.

// OneWorker reports whether m always runs on exactly one worker: serial runs tasks in
// order, asyncio on one event-loop thread (on real CPython too).
func (m Model) OneWorker() bool {
	return m == Serial || m == Asyncio || m == PySerial || m == PyAsyncio
}

// WithModel is the spec switched to model m, without the settings only the old model
// had (a switch interval, a chunk size, fresh processes) and without a worker count
// a one-worker model cannot take.
func (s Spec) WithModel(m Model) Spec {
	s.Model = m
	if !m.Switched() {
		s.SwitchInterval = 0
	}
	if !m.Chunked() {
		s.ChunkSize = 0
	}
	if m != Processes {
		s.Fresh = false
	}
	if m != PyProcesses && m != PyPool {
		s.StartMethod = ""
	}
	if !m.IsCPython() {
		s.Python = ""
	}
	if m.OneWorker() {
		s.Workers = 0
	}
	return s
}

// Scale is the task mix with every step's duration multiplied by num/den, each
// keeping at least 1µs; counts and payloads stay.
func (ts Tasks) Scale(num, den int64) Tasks {
	out := Tasks{Groups: make([]Group, len(ts.Groups))}
	for i, g := range ts.Groups {
		steps := make([]Step, len(g.Task.Steps))
		for j, s := range g.Task.Steps {
			s.D = max(s.D*time.Duration(num)/time.Duration(den), time.Microsecond)
			steps[j] = s
		}
		g.Task.Steps = steps
		out.Groups[i] = g
	}
	return out
}

// Fetches reports whether the task has an http step: a run of it needs the loopback
// server.
func (t Task) Fetches() bool {
	return slices.ContainsFunc(t.Steps, func(s Step) bool { return s.Kind == HTTP })
}

// HasHTTP reports whether any task that runs fetches from the loopback server.
func (ts Tasks) HasHTTP() bool {
	return slices.ContainsFunc(ts.Groups, func(g Group) bool { return g.Count > 0 && g.Task.Fetches() })
}

// Errors lists the problems err holds: each of a joined error (as Validate returns),
// or err itself.
func Errors(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// WorkerHasRoom says whether a process pool sends a worker one more chunk while
// chunks are queued there with planned work between them, like ProcessPoolExecutor's
// extra queued calls: at least one chunk, and more while their work is under 2 ms, so
// a pipe round trip (tens of µs) never leaves a worker idle on tiny tasks, while long
// tasks still go to whichever worker frees up first. The real pool and sim both ask.
func WorkerHasRoom(chunks int, planned time.Duration) bool {
	const (
		minQueued  = 1
		maxQueued  = 512
		queueAhead = 2 * time.Millisecond
	)
	return chunks < maxQueued && (chunks < minQueued || planned < queueAhead)
}

// BaselineOf reports whether s, once run, is a one-worker baseline of the same kind as
// other: the same tasks on one worker, in the same language (Go's models, or CPython's
// py-* ones) and the same source (real, or the model machine). other's speed-up is
// then s's wall ÷ its own, both measured in one sitting.
func (s Spec) BaselineOf(other Spec) bool {
	n := s.Normalized()
	// An event loop overlaps its tasks' waits on its one thread: no serial baseline.
	loop := s.Model == Asyncio || s.Model == PyAsyncio
	return !loop && (n.Workers == 1 || n.Model.OneWorker()) && s.Model.IsCPython() == other.Model.IsCPython() &&
		s.Sim == other.Sim && (!s.Sim || s.Profile == other.Profile) && s.Tasks.String() == other.Tasks.String()
}
