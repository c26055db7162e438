package timeline

import "time"

// Others is how much CPU other programs took on a run's cores while it ran, as the
// engine measured it (on Linux: /proc/stat per core, steal included, minus the app's
// own process tree). A trace without it (another OS, an imported or modelled run)
// says nothing about disturbance: "unknown", never "undisturbed".
type Others struct {
	CPU   time.Duration `json:"cpu_ns"`   // CPU time other programs used on the watched cores
	Cores int           `json:"cores"`    // how many cores were watched: the run's
	Span  time.Duration `json:"span_ns"`  // how long they were watched: the whole run, set-up included
	Slack time.Duration `json:"slack_ns"` // how far CPU may be off from the counters' granularity
}

// DisturbedShare is the share of the watched cores × time that other programs must
// have taken, beyond the measurement's slack, for a run to count as disturbed.
//
// Why 10 %: the lessons' verdicts sit at least 30 % from the figure the model predicts
// (a 2× speedup is judged against 1.3×; a parallelism of 2 against 1.3). A run that
// lost a share s of its cores runs at worst 1/(1−s) slower, so 10 % (at most 11 %
// slower) stays well inside that margin, leaving room for what CPU time cannot see
// (shared caches, memory bandwidth). The background of an otherwise idle machine
// (daemons, the terminal) sits far below it, so a run is not called disturbed for
// nothing; a compiler that ran for a moment counts only if it took a tenth of the
// run's cores, and then it did slow the run.
const DisturbedShare = 0.10

// Disturbed reports whether other programs took more than DisturbedShare of the
// watched cores over the watched time, after giving the measurement its slack.
func (o Others) Disturbed() bool {
	capacity := time.Duration(o.Cores) * o.Span
	return capacity > 0 && float64(o.CPU-o.Slack) > DisturbedShare*float64(capacity)
}

// Share is the CPU others took as a share of the watched cores × time (0 when none).
func (o Others) Share() float64 {
	capacity := time.Duration(o.Cores) * o.Span
	if capacity <= 0 {
		return 0
	}
	return o.CPU.Seconds() / capacity.Seconds()
}
