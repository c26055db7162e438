package calibrate

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/pools"
	"github.com/coreography/coreography/sim"
)

// The process pool's costs: starting a worker, serving chunks, moving payloads.

// measureStartup measures process start-up, and the spawning thread's cost to start one.
func measureStartup(ctx context.Context, real *prober) (p sim.Processes, err error) {
	tr, _, err := probeRun(ctx, real, experiment.Spec{Model: experiment.Processes, Workers: 2}, "2*cpu(0ns)")
	if err != nil {
		return p, err
	}
	// Starting until the worker's first own event, which carries its CPU clock so far.
	// The mean of the workers': one start-up alone scatters too much to stand for all.
	var startup, startupCPU time.Duration
	started := 0
	for _, l := range tr.Lanes {
		if len(l.Events) < 2 {
			continue
		}
		first := l.Events[1]
		startup += time.Duration(first.T - l.Events[0].T)
		startupCPU += time.Duration(max(first.CPUTime, 0))
		started++
	}
	if started == 0 {
		return p, fmt.Errorf("measuring this machine: no worker of the start-up probe started")
	}
	p.ProcStartup = startup / time.Duration(started)
	if startupCPU > 0 {
		p.ProcStartupCPU = min(startupCPU/time.Duration(started), p.ProcStartup)
	}
	p.ProcExit = procExit(tr)
	p.SpawnGap, err = pools.SpawnCost(5)
	return p, err
}

// measureChunks measures what a chunk costs the parent and a worker, what a task adds
// inside a chunk, and the pipes' bandwidth.
func measureChunks(ctx context.Context, real *prober) (p sim.Pipes, err error) {
	// Chunks of one task to a worker on every core: the parent, serving them all, paces
	// such a pool, so the time per chunk is the parent's (the workers' side is their
	// Transfer spans). As a pool is run, its workers and the parent share the cores.
	// Enough chunks that a few milliseconds of noise are a small part of each.
	const small = 2000
	tr, st, err := probeRun(ctx, real, experiment.Spec{Model: experiment.Processes, Workers: runtime.NumCPU(), ChunkSize: 1}, strconv.Itoa(small)+"*cpu(0ns)")
	if err != nil {
		return p, err
	}
	perChunk := poolBusy(tr) / small
	p.ChunkWorker = st.IPC / small
	p.ChunkParent = perChunk

	// Chunks of 100: what each task adds inside a chunk, and the parent's CPU to read
	// each result and its events back (its own CPU clock; the worker has its own).
	const many = 10000
	tr, st, parentCPU, err := probeRunOwnCPU(ctx, real, experiment.Spec{Model: experiment.Processes, Workers: 1, ChunkSize: 100}, strconv.Itoa(many)+"*cpu(0ns)")
	if err != nil {
		return p, err
	}
	p.TaskInChunk = max(poolBusy(tr)-time.Duration(many/100)*perChunk, 0) / many
	if parentCPU > 0 {
		p.ParentPerTask = parentCPU / many
		// Reading each chunk's result back is part of the parent's time per chunk above.
		p.ChunkParent = max(p.ChunkParent-p.ParentPerTask, 0)
	}

	// Payload bandwidth: 8 × 4 MB through the pipe.
	tr, _, err = probeRun(ctx, real, experiment.Spec{Model: experiment.Processes, Workers: 1, ChunkSize: 1}, "8*cpu(0ns) in=4MB")
	if err != nil {
		return p, err
	}
	if moving := poolBusy(tr) - 8*perChunk; moving > 0 {
		p.BytesPerSecond = float64(8<<22) / moving.Seconds()
	} else {
		p.BytesPerSecond = 1e9
	}
	return p, nil
}

// procExit is how long a process-pool run went on after its last worker went off: that
// worker's exit, until the parent had reaped it.
func procExit(tr *timeline.Trace) time.Duration {
	if _, off := poolSpan(tr); off > 0 {
		return time.Duration(tr.End - off)
	}
	return 0
}

// poolBusy is how long a process-pool probe had a worker at work: from the first
// worker's start-up done to the last one going off. Start-up and exit have figures of
// their own in the model.
func poolBusy(tr *timeline.Trace) time.Duration {
	ready, off := poolSpan(tr)
	return time.Duration(max(off-ready, 0))
}

// poolSpan is when the first worker finished starting and when the last went off.
func poolSpan(tr *timeline.Trace) (ready, off int64) {
	ready = tr.End
	for _, l := range tr.Lanes {
		for _, e := range l.Events {
			if e.State != timeline.Starting {
				ready = min(ready, e.T)
				break
			}
		}
		if n := len(l.Events); n > 0 && l.Events[n-1].State == timeline.Off {
			off = max(off, l.Events[n-1].T)
		}
	}
	return ready, off
}
