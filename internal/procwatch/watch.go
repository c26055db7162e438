package procwatch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"time"

	"github.com/coreography/coreography/internal/timeline"
)

// Where a watch's states come from, as its JSON's "source" says.
const (
	SourceEvents   = "sched-events"  // the scheduler's tracepoints: every switch, exact
	SourceSampling = "proc-sampling" // /proc read every SampleEvery
)

// NotFoundError says the command to watch does not exist (exit status 127, as a shell's).
type NotFoundError struct{ Name string }

func (e *NotFoundError) Error() string { return e.Name + ": command not found" }

// UnsupportedError says watching cannot work here (exit status 2).
type UnsupportedError struct{ Msg string }

func (e *UnsupportedError) Error() string { return e.Msg }

// Options say what to watch and how.
type Options struct {
	Argv   []string  // the command to run, as the root of a tree of its own
	PID    int       // or a running process to attach to, read-only (watch -p)
	Log    io.Writer // where the command's stdout and stderr go
	Source string    // SourceEvents, SourceSampling, or "" for the most exact allowed
	// Started, when set, is handed a function that ends the whole tree at once, for a
	// caller that may have to exit before Watch returns (a second Ctrl-C).
	Started func(endTree func())
}

// Watched is what a watched tree left behind.
type Watched struct {
	// ExitCode is the command's exit status, 128+N when signal N ended it, whoever
	// sent it; 0 for a program attached to.
	ExitCode  int
	Source    string // SourceEvents or SourceSampling
	Processes int    // processes of the tree seen
	Threads   int    // threads drawn
	// BeforeExec is the time before the command's process last replaced its program:
	// a wrapper's (a pyenv shim, env, nice) start-up, left out of the figures.
	BeforeExec time.Duration
	// TreeCPU is the tree's CPU as the kernel counted it when it reaped the tree
	// (wait4's rusage); -1 when unknown (a program attached to is not ours to reap).
	TreeCPU time.Duration
	// Unattributed is CPU the kernel counted that no lane holds: processes that
	// started and ended between two samples. It is part of the tree's CPU figure.
	Unattributed time.Duration
	// Ended is how many of the tree's processes ended unseen or were seen only in part.
	Lost    int64     // records the kernel dropped (exact mode): their time is unattributed
	Procs   []Process // every process seen, parents before children
	Others  *timeline.Others
	Sampler time.Duration // the observer's own CPU
}

// Process is one process of a watched tree, as the watch saw it.
type Process struct {
	PID, PPID int32
	Command   string // its command line, as /proc showed it (control characters left in)
	Python    bool   // it ran CPython: GIL figures apply
}

// source is what observes a tree: a Sampler, or an event reader.
type source interface {
	SetBegin(t int64)
	Stop() time.Duration
	PIDs() []int32
	RootExec() (at int64, comm string, samplerCPU time.Duration, ok bool)
}

// Watch runs the command opt.Argv as the root of a process tree of its own (or
// attaches to opt.PID), with its output going to opt.Log, and draws every thread of
// the tree into rec: running (on which core), preempted, asleep, waiting for the GIL.
// Cancelling ctx ends the whole tree it started, however far its processes wandered
// (a new session, a double fork), and detaches from a program attached to. It returns
// when the command has exited; nothing it started outlives it.
func Watch(ctx context.Context, opt Options, rec *timeline.Recorder) (Watched, error) {
	if !SamplerAvailable {
		return Watched{}, &UnsupportedError{"watch needs Linux: thread states and cores are read from /proc or the scheduler's events"}
	}
	if opt.PID > 0 {
		return attach(ctx, opt, rec)
	}
	if len(opt.Argv) == 0 {
		return Watched{}, errors.New("watch: no command given")
	}
	path, err := exec.LookPath(opt.Argv[0])
	if err != nil {
		return Watched{}, &NotFoundError{Name: opt.Argv[0]}
	}
	cmd := exec.Command(path, opt.Argv[1:]...)
	cmd.Args[0] = opt.Argv[0]
	cmd.Stdout, cmd.Stderr = opt.Log, opt.Log
	run, err := startRun(cmd, opt, rec)
	if err != nil {
		return Watched{}, fmt.Errorf("watch: starting %s: %w", opt.Argv[0], err)
	}
	werr := run.wait(ctx)
	w := run.finish()
	if ctx.Err() != nil {
		return w, ctx.Err()
	}
	var exitErr *exec.ExitError
	if werr != nil && !errors.As(werr, &exitErr) {
		return w, werr
	}
	return w, nil
}

// Available says which source a watch would use: the scheduler's events where this
// process may read them, /proc sampling otherwise, and why not events.
func Available(want string) (source string, why string) {
	if want == SourceSampling {
		return SourceSampling, "asked for"
	}
	if err := eventsAllowed(); err != nil {
		return SourceSampling, err.Error()
	}
	return SourceEvents, ""
}
