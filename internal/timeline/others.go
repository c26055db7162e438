package timeline

import "time"

// Others is how much CPU other programs took on a run's cores while it ran, as the
// engine measured it (on Linux: /proc/stat per core, steal included, minus the app's
// own process tree). A trace without it (another OS, an imported or modelled run)
// says nothing about disturbance: "unknown", never "undisturbed".
//
// Others' CPU is not what decides whether a run was disturbed: a program busy on a
// core the run never used cost it nothing. What decides is what the run lost (see
// Lost), from the run's own threads as the kernel accounts them: Queue, Steal, and
// the app's own CPU that explains part of the queue.
type Others struct {
	CPU   time.Duration `json:"cpu_ns"`   // CPU time other programs used on the watched cores
	Cores int           `json:"cores"`    // how many cores were watched: the run's
	Span  time.Duration `json:"span_ns"`  // how long they were watched: the whole run, set-up included
	Slack time.Duration `json:"slack_ns"` // how far CPU may be off from the counters' granularity

	// Queue is how long the run's own threads (workers, worker processes, CPython's
	// threads) were runnable but waiting for a core: schedstat's run-queue delay,
	// summed. Valid only when QueueKnown.
	Queue      time.Duration `json:"queue_ns,omitempty"`
	QueueKnown bool          `json:"queue_known,omitempty"`
	Steal      time.Duration `json:"steal_ns,omitempty"` // the hypervisor's steal time on the watched cores
	App        time.Duration `json:"app_ns,omitempty"`   // the app's own CPU beside the run's workers: no other program's
}

// DisturbedShare is the share of the used cores × time a run must have lost (or,
// for a trace from before Lost was measured, other programs must have taken, beyond
// the measurement's slack) for it to count as disturbed.
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
// watched cores over the watched time, after giving the measurement its slack: the
// rule for traces that carry no run-queue figures (Stats.Disturbed uses Lost).
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
