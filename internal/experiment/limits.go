package experiment

import (
	"math"
	"time"
)

// Limits on what a spec may produce, checked before a run starts so that a run's
// memory and time are predictable from its spec (README, "Limits and exit codes").
const (
	// MaxSteps bounds the steps of all tasks together. Every step costs a few events in
	// the recording (about 32 bytes each), so this bounds a run's recording: a
	// million steps is about 100 MB, under timeline.MaxEvents.
	MaxSteps = 1_000_000
	// MaxPayloadTotal bounds the payload bytes, in and out, of all tasks together:
	// about two seconds through a pipe on a laptop.
	MaxPayloadTotal = 4 << 30
	// MaxPayloadMemory bounds what the payloads of a processes run hold in memory at
	// once, app and workers together (see PayloadMemory). Resident memory is about
	// twice that, as Go's collector lets a heap grow to twice what is live: 1 GB.
	MaxPayloadMemory = 512 << 20
)

// satAdd adds two non-negative durations, stopping at the largest one instead of
// wrapping to a negative sum that would slip under every limit.
func satAdd(a, b time.Duration) time.Duration {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// satMul multiplies a non-negative count and duration, saturating like satAdd.
func satMul[N int | int64](n N, d time.Duration) time.Duration {
	if n <= 0 || d <= 0 {
		return 0
	}
	if d > math.MaxInt64/time.Duration(n) {
		return math.MaxInt64
	}
	return time.Duration(n) * d
}

// SatAdd is satAdd for callers that add up planned work, such as a lesson's runs.
func SatAdd(a, b time.Duration) time.Duration { return satAdd(a, b) }

// Steps is how many steps all tasks have together, saturating at math.MaxInt64.
func (ts Tasks) Steps() int64 {
	var n int64
	for _, g := range ts.Groups {
		n = int64(satAdd(time.Duration(n), satMul(g.Count, time.Duration(len(g.Task.Steps)))))
	}
	return n
}

// PayloadBytes is the payload, in and out, of all tasks together, saturating.
func (ts Tasks) PayloadBytes() int64 {
	var n time.Duration
	for _, g := range ts.Groups {
		n = satAdd(n, satMul(g.Count, satAdd(time.Duration(g.Task.In), time.Duration(g.Task.Out))))
	}
	return int64(n)
}

// PayloadMemory is the most payload bytes a processes run holds at once: the one in
// pattern the app sends every task's in payload from, and for every worker one chunk
// frame it has read plus a results frame twice (the worker's and the app's copy).
// Other models send no payloads, so it is 0 for them.
func (s Spec) PayloadMemory() int64 {
	n := s.Normalized()
	if n.Model != Processes {
		return 0
	}
	var maxIn, maxOut int64
	for _, g := range n.Tasks.Groups {
		maxIn, maxOut = max(maxIn, g.Task.In), max(maxOut, g.Task.Out)
	}
	chunk := int64(max(n.ChunkSize, 1))
	frame := func(per int64) int64 { return min(max(per*chunk, per), max(MaxPayload, per)) }
	perWorker := frame(maxIn) + 2*frame(maxOut)
	return int64(satAdd(time.Duration(maxIn), satMul(n.Workers, time.Duration(perWorker))))
}

// validateLimits reports what the spec would produce past the limits above.
func (s Spec) validateLimits(bad func(field, format string, args ...any)) {
	if steps := s.Tasks.Steps(); steps > MaxSteps {
		bad("tasks", "%d steps in all is more than the limit of %d: use fewer tasks or fewer steps per task", steps, MaxSteps)
	}
	if total := s.Tasks.PayloadBytes(); total > MaxPayloadTotal {
		bad("tasks", "%s of payload in all is more than the %s limit", FormatSize(total, Short), FormatSize(MaxPayloadTotal, Exact))
	}
	if mem := s.PayloadMemory(); mem > MaxPayloadMemory {
		bad("tasks", "payloads would hold about %s in memory at once (%d workers), more than the %s limit: use fewer workers or smaller payloads",
			FormatSize(mem, Short), s.Normalized().Workers, FormatSize(MaxPayloadMemory, Exact))
	}
}
