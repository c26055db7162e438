// Package experiment owns what to run: a Spec, the task notation, validation
// with errors that point at a column, and the Runner interface engines implement.
package experiment

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/coreography/coreography/internal/timeline"
)

// Model names an execution model. Engines in pools run each for real; sim models them.
type Model string

const (
	Serial    Model = "serial"    // one worker, tasks in order
	Threads   Model = "threads"   // N OS threads, truly parallel
	GIL       Model = "gil"       // N OS threads sharing one CPython-style global lock
	Processes Model = "processes" // N worker subprocesses fed over pipes
	Asyncio   Model = "asyncio"   // one event-loop thread; coroutines yield only at I/O
)

// Models lists every model in teaching order.
var Models = []Model{Serial, Threads, GIL, Processes, Asyncio}

// Limits keep a run small enough for a lesson and a 2-core laptop.
const (
	MaxThreads     = 256
	MaxProcesses   = 64
	MaxTasks       = 100_000
	MaxPlannedWork = 60 * time.Second
	// DefaultSwitchInterval is CPython's sys.getswitchinterval().
	DefaultSwitchInterval = 5 * time.Millisecond
)

// Spec says what to run. The zero value of every optional field means "the default".
type Spec struct {
	Name           string        // shown above the timeline; optional
	Model          Model         //
	Workers        int           // 0: serial and asyncio 1, others one per usable core
	Cores          int           // 0: every core; K: pin the run to cores 0..K-1
	SwitchInterval time.Duration // gil only; 0: DefaultSwitchInterval
	ChunkSize      int           // processes only; 0: automatic, as multiprocessing.Pool.map
	Fresh          bool          // processes only: one fresh process per task (multiprocessing.Process)
	Python         string        // py-* only: the interpreter; "": python3 on PATH. Never from a lesson
	StartMethod    string        // py-processes, py-pool: fork, spawn or forkserver; "": the platform's default
	Tasks          Tasks         // parsed task notation
	Sim            bool          // run on sim's model machine (up to MaxSimCores), not this one
	Profile        string        // sim only: the cost profile; "": DefaultProfile
	CancelAfter    time.Duration // 0: never; D: cancel every task still queued D after the start (Future.cancel)
}

// The model machine's bounds and its default cost profile, measured on this machine.
const (
	MaxSimCores    = 256
	MaxSimWorkers  = 1024
	DefaultProfile = "this-machine"
)

// Runner runs a Spec for real (or as a model), recording what every worker did into rec.
// Run returns when every task is done, ctx is cancelled, or the run fails; it never
// leaves a goroutine or process behind.
type Runner interface {
	Run(ctx context.Context, spec Spec, rec *timeline.Recorder) error
}

// Normalized returns the spec with defaults filled in, as an engine will run it.
func (s Spec) Normalized() Spec {
	if s.Workers == 0 {
		s.Workers = s.UsableCores()
		if s.Model.OneWorker() {
			s.Workers = 1
		}
	}
	if s.Model == GIL && s.SwitchInterval == 0 {
		s.SwitchInterval = DefaultSwitchInterval
	}
	if s.Model == Processes && s.ChunkSize == 0 && !s.Fresh {
		s.ChunkSize = AutoChunkSize(s.Tasks.Count(), s.Workers)
	}
	if s.Sim && s.Profile == "" {
		s.Profile = DefaultProfile
	}
	return s.normalizeCPython()
}

// UsableCores is Cores, or every core of this machine when Cores is 0 (or more than it
// has). A simulated machine has as many cores as asked for; by default, this machine's.
func (s Spec) UsableCores() int {
	if s.Sim && s.Cores > 0 {
		return min(s.Cores, MaxSimCores)
	}
	if n := runtime.NumCPU(); s.Cores <= 0 || s.Cores > n {
		return n
	}
	return s.Cores
}

// AutoChunkSize is multiprocessing.Pool.map's rule: four chunks per worker.
func AutoChunkSize(tasks, workers int) int {
	if workers < 1 {
		workers = 1
	}
	chunk, extra := tasks/(workers*4), tasks%(workers*4)
	if extra > 0 {
		chunk++
	}
	return max(chunk, 1)
}

// Meta is what a timeline needs to know about the spec it records.
func (s Spec) Meta() timeline.Meta {
	n := s.Normalized()
	m := timeline.Meta{
		Name:        n.Name,
		Model:       string(n.Model),
		Workers:     n.Workers,
		Cores:       n.UsableCores(),
		Tasks:       n.Tasks.Count(),
		IdealSerial: n.Tasks.Work(),
		Planned:     n.Tasks.Planned(),
		Source:      timeline.SourceReal,
	}
	if n.Sim {
		// A model must never pass for a measurement: the title says so first.
		m.Source, m.Profile = timeline.SourceSim, n.Profile
		m.Name = "SIMULATED (model machine, profile " + n.Profile + ")"
		if n.Name != "" {
			m.Name += " · " + n.Name
		}
	}
	return m
}

// String is the spec as command-line flags would spell it.
func (s Spec) String() string {
	out := fmt.Sprintf("%s ×%d", s.Model, s.Workers)
	if s.Cores > 0 {
		out += fmt.Sprintf(" on %d core", s.Cores)
		if s.Cores > 1 {
			out += "s"
		}
	}
	if s.Sim {
		out += " · sim"
	}
	return out + " · " + s.Tasks.String()
}
