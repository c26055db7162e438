// Package timeline owns what happened in a run: events, lanes, a Recorder that many
// workers append to while readers take consistent snapshots, Stats, and trace JSON.
package timeline

import "time"

// State is what a worker is doing from an event until its lane's next event.
type State uint8

const (
	Off       State = iota // not alive: before it started or after it exited
	Idle                   // alive, waiting for work
	Starting               // a process being created, until it can take work
	Running                // computing on a core
	WaitGIL                // ready to compute, waiting for the global lock
	IO                     // blocked on I/O (sleep, socket, HTTP)
	Transfer               // encoding, copying or decoding a payload across a pipe
	Preempted              // ready to compute, but the OS gave its core to another thread

	// NumStates is how many states there are: a State at or beyond it is not one
	// (a corrupt byte, or a state a newer build recorded).
	NumStates
)

var stateNames = [NumStates]string{"off", "idle", "starting", "running", "wait-gil", "io", "transfer", "preempted"}

func (s State) String() string {
	if s < NumStates {
		return stateNames[s]
	}
	return "unknown"
}

// States lists every state, for legends.
func States() []State {
	out := make([]State, 0, NumStates)
	for s := range NumStates {
		out = append(out, s)
	}
	return out
}

// ParseState is the inverse of State.String.
func ParseState(name string) (State, bool) {
	for s, n := range stateNames {
		if n == name {
			return State(s), true
		}
	}
	return Off, false
}

// OnCPU reports whether a worker in this state is using a core.
func (s State) OnCPU() bool { return s == Running || s == Transfer || s == Starting }

// Event marks the start of a state on one lane. A lane's events are in time order;
// each state lasts until the next event (or the end of the trace).
type Event struct {
	T       int64 // CLOCK_MONOTONIC nanoseconds, comparable across processes (see Now)
	CPUTime int64 // CPU time the thread had used by T, in ns; -1 when not measured
	Task    int32 // index of the task being worked on; -1 for none
	PID     int32 // process that did it
	TID     int32 // OS thread that did it
	CPU     int16 // core it ran on at T; -1 when unknown
	State   State
}

// Unknown values for Event fields.
const (
	NoTask    = -1
	NoCPU     = -1
	NoCPUTime = -1
)

// Meta is what the recorded run was asked to do.
type Meta struct {
	Name        string        `json:"name,omitempty"`
	Model       string        `json:"model"`
	Workers     int           `json:"workers"`
	Cores       int           `json:"cores"`
	Tasks       int           `json:"tasks"`
	IdealSerial time.Duration `json:"ideal_serial_ns"`
	Note        string        `json:"note,omitempty"`    // how the run was observed, when views should say so
	Planned     []Planned     `json:"planned,omitempty"` // each task's calibrated time alone, in task order
	Others      *Others       `json:"others,omitempty"`  // measured after the run by the engine; nil: unknown
	Memory      *Memory       `json:"memory,omitempty"`  // what the run's processes held (memory.go); nil: not measured
	Source      string        `json:"source,omitempty"`  // SourceReal or SourceSim; "" in traces from before it existed
	Profile     string        `json:"profile,omitempty"` // sim only: the cost profile it modelled
	// Clock is the quick probe of this machine's speed made before a real run; nil
	// for a model or a trace from before it.
	Clock *ClockProbe `json:"clock,omitempty"`
	// ProfileMeasured is, for a measured profile, when and how quietly it was measured:
	// "measured 2026-12-07, quiet".
	ProfileMeasured string `json:"profile_measured,omitempty"`
}

// Where a trace came from: measured on this machine, or modelled by sim.
const (
	SourceReal = "real"
	SourceSim  = "sim"
)

// ClockProbe is a quick measurement of this machine's speed made before a run, against
// the cpu(d) calibration in use: when they disagree, Go's and CPython's calibrations
// are made again together, in one sitting.
type ClockProbe struct {
	CachedNsPerIter float64 `json:"cached_ns_per_iter"` // the calibration in use before the run
	NsPerIter       float64 `json:"ns_per_iter"`        // the probe's figure
	Recalibrated    bool    `json:"recalibrated"`
	NewNsPerIter    float64 `json:"new_ns_per_iter,omitempty"` // the calibration made again, when it was
}

// Drift is how far the probe was from the calibration in use, as a share (0.12: 12 %).
func (c ClockProbe) Drift() float64 {
	if c.CachedNsPerIter <= 0 {
		return 0
	}
	return c.NsPerIter/c.CachedNsPerIter - 1
}
