package sim

import (
	"fmt"
	"time"
)

// Bounds a measured profile must sit in to be used. A profile is a cache of figures
// measured on some machine; one outside these is no machine's (a hand-edited cache: a
// start-up of max int64 made 4 cores do the work of 166, a 1 ns slice made a 10 ms
// model run for minutes) and is measured again rather than trusted.
const (
	minSlice     = 50 * time.Microsecond
	maxSlice     = 100 * time.Millisecond
	maxStartup   = 5 * time.Second        // one process start, exec and imports included
	maxCost      = 100 * time.Millisecond // any per-task, per-chunk or per-switch cost
	minBandwidth = 1e6                    // bytes a second through a pipe
	maxBandwidth = 1e12
)

// Plausible reports, as an error naming the figure, whether every cost of p is one a
// real machine could have measured.
func (p Profile) Plausible() error {
	if err := p.validate(); err != nil {
		return err
	}
	check := func(name string, d, lo, hi time.Duration) error {
		if d != 0 && (d < lo || d > hi) {
			return fmt.Errorf("profile %s: %s %v is outside %v to %v", p.Name, name, d, lo, hi)
		}
		return nil
	}
	if err := check("base slice", p.BaseSlice, minSlice, maxSlice); err != nil {
		return err
	}
	if err := check("measured slice", p.MeasuredSlice, minSlice, maxSlice); err != nil {
		return err
	}
	for name, d := range map[string]time.Duration{"process start-up": p.ProcStartup, "start-up CPU": p.ProcStartupCPU} {
		if err := check(name, d, 0, maxStartup); err != nil {
			return err
		}
	}
	for name, d := range map[string]time.Duration{
		"task dispatch": p.TaskDispatch, "GIL hand-off": p.GILHandoff, "GIL timeout slack": p.GILTimeoutSlack,
		"GIL switch CPU": p.GILSwitchCPU, "process exit": p.ProcExit, "spawn gap": p.SpawnGap,
		"chunk (parent)": p.ChunkParent, "chunk (worker)": p.ChunkWorker, "parent per task": p.ParentPerTask,
		"task in chunk": p.TaskInChunk, "loop step": p.LoopStep, "loop task end": p.LoopTaskEnd,
		"loop wake-up": p.LoopWakeLate, "http latency": p.HTTPLatency, "http CPU": p.HTTPCPU,
	} {
		if err := check(name, d, 0, maxCost); err != nil {
			return err
		}
	}
	if p.BytesPerSecond < minBandwidth || p.BytesPerSecond > maxBandwidth {
		return fmt.Errorf("profile %s: bandwidth %g bytes/s is outside %g to %g", p.Name, p.BytesPerSecond, minBandwidth, maxBandwidth)
	}
	if p.WorkStretch != 0 && (p.WorkStretch < 0.5 || p.WorkStretch > 4) {
		return fmt.Errorf("profile %s: work stretch %v is outside 0.5 to 4", p.Name, p.WorkStretch)
	}
	return nil
}
