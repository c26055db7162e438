package sim

import (
	"fmt"
	"math/bits"
	"time"
)

// Profile is what things cost on the machine being modelled: everything the engines
// spend besides the tasks' own work. `this-machine` is measured from the real engines
// (internal/calibrate measures it); `cpython` holds CPython's costs on Linux.
//
// The profile's own fields are what every engine meets: the OS scheduler's slice,
// how fast sustained work runs, a loopback request. The costs only one engine spends
// are grouped by that engine (Threads, Processes and Pipes, Loop), as calibrate's
// probes measure them. The groups are embedded: their fields read as the profile's
// own (p.GILHandoff), and a profile is one flat JSON object, the cached ones included.
type Profile struct {
	Name string `json:"name"`
	// BaseSlice is the scheduler's slice per CPU-bound thread when runnable threads
	// outnumber cores. Linux 6.6+ (EEVDF, kernel/sched/fair.c) uses sysctl_sched_base_slice
	// = 0.75 ms scaled by 1 + log2(min(CPUs, 8)): 1.5 ms on 2 cores, 3 ms on 8 or more.
	// CFS before it sliced sched_latency (6 ms, same scaling) among the runnable threads,
	// with the same 0.75 ms floor: the same order of size.
	BaseSlice time.Duration `json:"base_slice_ns"`
	// MeasuredSlice, when set, replaces the formula: the slice seen on this machine.
	MeasuredSlice time.Duration `json:"measured_slice_ns,omitempty"`
	Threads
	// WorkStretch is the CPU time a cpu(d) step really takes per ns of d: cpu(d) is
	// calibrated against the fastest of short bursts on an idle core, and sustained
	// work with its clock reads runs a little slower. 0 means exactly d.
	WorkStretch float64 `json:"work_stretch,omitempty"`
	Processes
	Pipes
	Loop
	// HTTPLatency is what a loopback request adds to its server's delay.
	HTTPLatency time.Duration `json:"http_latency_ns"`
	// HTTPCPU is the client's CPU per request, spent while the lane shows io.
	HTTPCPU time.Duration `json:"http_cpu_ns"`
	Measurement
}

// Slice is the OS scheduler's time slice on a machine of cores cores.
func (p Profile) Slice(cores int) time.Duration {
	if p.MeasuredSlice > 0 {
		return p.MeasuredSlice
	}
	factor := 1 + bits.Len(uint(min(max(cores, 1), 8))) - 1 // 1 + ilog2(min(cores, 8))
	return p.BaseSlice * time.Duration(factor)
}

// eevdfBaseSlice is Linux's sysctl_sched_base_slice before scaling.
const eevdfBaseSlice = 750 * time.Microsecond

// work is the CPU time, in ns, of a cpu(d) step on this profile's machine.
func (p Profile) work(d time.Duration) int64 {
	if p.WorkStretch <= 0 {
		return int64(d)
	}
	return int64(float64(d) * p.WorkStretch)
}

// Threads is what a pool of threads in one process costs: handing it tasks, and
// under a GIL, passing the lock from thread to thread.
type Threads struct {
	// TaskDispatch is a thread pool's cost to hand one task to a thread (the queue take).
	TaskDispatch time.Duration `json:"task_dispatch_ns"`
	// GILHandoff is from a GIL drop until the thread it wakes runs: a futex wake-up,
	// in which no thread runs Python. The thread forced to drop is woken as late after
	// the next take, so a switch interval's cycle is the interval plus two hand-offs.
	GILHandoff time.Duration `json:"gil_handoff_ns"`
	// GILTimeoutSlack is how much later than the switch interval a waiter's timed wait
	// ends (the kernel's timer slack and wake-up): it stretches the cycle, not the work.
	GILTimeoutSlack time.Duration `json:"gil_timeout_slack_ns,omitempty"`
	// GILSwitchCPU is the CPU a thread spends on taking the GIL from another before its
	// work goes on (caches and the wake-up path): Running, on top of the work.
	GILSwitchCPU time.Duration `json:"gil_switch_cpu_ns,omitempty"`
}

// Processes is a process pool's workers' lives: their start, one after another on
// the parent's spawning thread, and their end.
type Processes struct {
	// ProcStartup is one worker process's start until it can take work (on a core).
	ProcStartup time.Duration `json:"proc_startup_ns"`
	// ProcStartupCPU is the CPU a start-up uses; the rest of ProcStartup it waits
	// (exec, page faults). 0: all of it is CPU.
	ProcStartupCPU time.Duration `json:"proc_startup_cpu_ns,omitempty"`
	// ProcExit is one worker process's end: from its last event until the parent has
	// reaped it (its runtime's exit, the kernel freeing its memory, the pipes closing).
	ProcExit time.Duration `json:"proc_exit_ns,omitempty"`
	// SpawnGap is the parent's cost to start one process with a core free for it; workers
	// start one after another. On fewer cores than starting workers a real start also
	// waits for a core, which the model leaves out.
	SpawnGap time.Duration `json:"spawn_gap_ns"`
}

// startupCPU is the CPU part of a process start-up, in ns.
func (p Processes) startupCPU() int64 {
	if p.ProcStartupCPU <= 0 || p.ProcStartupCPU > p.ProcStartup {
		return int64(p.ProcStartup)
	}
	return int64(p.ProcStartupCPU)
}

// Pipes is a process pool's traffic: tasks go to the workers in chunks and results
// come back, each one encoded, written, read and decoded.
type Pipes struct {
	// ChunkParent and ChunkWorker are the per-chunk costs of a process pool: the parent
	// encoding and writing it (one parent serves every worker, one chunk at a time) and
	// the worker reading, decoding and answering it.
	ChunkParent time.Duration `json:"chunk_parent_ns"`
	ChunkWorker time.Duration `json:"chunk_worker_ns"`
	// ParentPerTask is the parent's CPU to read one task's result and events back.
	ParentPerTask time.Duration `json:"parent_per_task_ns,omitempty"`
	// TaskInChunk is each task's own cost inside a chunk (pickling its call and result).
	TaskInChunk time.Duration `json:"task_in_chunk_ns"`
	// BytesPerSecond is payload bandwidth across the pipe, encoding included.
	BytesPerSecond float64 `json:"bytes_per_second"`
}

// transferTime is how long n bytes of payload take through a pipe, in ns.
func (p Pipes) transferTime(n int64) int64 {
	return int64(float64(n) / p.BytesPerSecond * 1e9)
}

// Loop is an event loop's own CPU and timing, besides its coroutines' work.
type Loop struct {
	// LoopStep is the event loop's CPU per coroutine resume (its callbacks and timers).
	LoopStep time.Duration `json:"loop_step_ns"`
	// LoopTaskEnd is the loop's extra CPU when a coroutine returns (its outcome recorded).
	LoopTaskEnd time.Duration `json:"loop_task_end_ns,omitempty"`
	// LoopWakeLate is how late an idle loop wakes for its next timer.
	LoopWakeLate time.Duration `json:"loop_wake_late_ns,omitempty"`
}

// Measurement is how a measured profile came to be; it is zero for a built-in one.
type Measurement struct {
	// Measured says when and how a measured profile was made.
	Measured string `json:"measured,omitempty"`
	// MeasuredAt and MeasuredLoad are when a measured profile was made and the load
	// average then: a profile measured on a busy machine says so wherever it is used.
	MeasuredAt   time.Time `json:"measured_at,omitzero"`
	MeasuredLoad float64   `json:"measured_load,omitempty"`
}

// Provenance says when and how quietly a measured profile was made, for a run's
// title: "measured 2026-12-07, quiet", or "…, busy (load 1.7)" when the load
// average was over half of the cores. "" for a built-in profile.
func (m Measurement) Provenance(cores int) string {
	if m.MeasuredAt.IsZero() {
		return ""
	}
	out := "measured " + m.MeasuredAt.Format("2006-01-02")
	if m.MeasuredLoad <= float64(max(cores, 1))/2 {
		return out + ", quiet"
	}
	return out + fmt.Sprintf(", busy (load %.1f)", m.MeasuredLoad)
}

// CPython is CPython 3.11 on Linux with the fork start method: its costs are the
// medians the curriculum measured (docs/performance.md lists them and how each field
// follows from them), so a model of "a typical CPython" needs no python3 here.
var CPython = Profile{
	Name:      "cpython",
	BaseSlice: eevdfBaseSlice,
	Threads:   Threads{TaskDispatch: 17 * time.Microsecond, GILHandoff: 100 * time.Microsecond},
	Processes: Processes{ProcStartup: 3300 * time.Microsecond, SpawnGap: 300 * time.Microsecond},
	Pipes: Pipes{ChunkParent: 75 * time.Microsecond, ChunkWorker: 73 * time.Microsecond,
		TaskInChunk: 2500 * time.Nanosecond, BytesPerSecond: 440e6},
	Loop:        Loop{LoopStep: 12 * time.Microsecond},
	HTTPLatency: 500 * time.Microsecond,
	HTTPCPU:     100 * time.Microsecond,
}

// CPythonSpawn is CPython with the spawn start method (macOS and Windows, and Linux
// from 3.14 as forkserver): each worker starts a fresh interpreter, so a pool takes
// several times longer to start than with fork (docs/performance.md).
var CPythonSpawn = func() Profile {
	p := CPython
	p.Name = "cpython-spawn"
	p.ProcStartup = 29 * time.Millisecond
	p.SpawnGap = time.Millisecond
	return p
}()

// Builtin lists the profiles that need no measuring.
var Builtin = []Profile{CPython, CPythonSpawn}

// validate refuses a profile that would make the model meaningless.
func (p Profile) validate() error {
	switch {
	case p.Name == "":
		return fmt.Errorf("profile has no name")
	case p.BaseSlice <= 0 && p.MeasuredSlice <= 0:
		return fmt.Errorf("profile %s: no time slice", p.Name)
	case p.BytesPerSecond <= 0:
		return fmt.Errorf("profile %s: bandwidth must be positive", p.Name)
	case p.WorkStretch < 0 || p.WorkStretch > 4 || p.WorkStretch != p.WorkStretch:
		return fmt.Errorf("profile %s: work stretch %v is not a machine's (0 to 4)", p.Name, p.WorkStretch)
	case p.GILTimeoutSlack < 0 || p.ParentPerTask < 0 || p.LoopTaskEnd < 0 || p.LoopWakeLate < 0 || p.GILSwitchCPU < 0 || p.TaskDispatch < 0 || p.HTTPCPU < 0 || p.ProcStartupCPU < 0 || p.GILHandoff < 0 || p.ProcStartup < 0 || p.ProcExit < 0 || p.SpawnGap < 0 || p.ChunkParent < 0 ||
		p.ChunkWorker < 0 || p.TaskInChunk < 0 || p.LoopStep < 0 || p.HTTPLatency < 0:
		return fmt.Errorf("profile %s: a cost is negative", p.Name)
	}
	return nil
}
