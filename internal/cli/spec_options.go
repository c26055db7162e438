package cli

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/coreography/coreography/internal/experiment"
)

// specOptions are the flags that spell an experiment.Spec, declared once: run, lab
// and scale bind them all, so a model, a limit or a help text added here reaches
// every command that takes a spec.
type specOptions struct {
	model, tasks   string
	workers, cores int
	chunkSize      int
	switchInterval time.Duration
	fresh          bool
	python, start  string
	cancelAfter    time.Duration
	sim            bool   // run on sim's model machine
	profile        string // sim's cost profile
}

// specBinding says how a command takes the spec flags.
type specBinding struct {
	tasksRequired bool
	// workerList: the command declares its own --workers (scale's list of counts)
	// and the options' single count is left unbound.
	workerList bool
}

// bind declares the spec flags on cmd.
func (o *specOptions) bind(cmd *cobra.Command, b specBinding) {
	fl := cmd.Flags()
	fl.StringVar(&o.model, "model", "threads", "serial, threads, gil, processes or asyncio; on real CPython: py-serial, py-threads, py-processes, py-pool or py-asyncio")
	if !b.workerList {
		fl.IntVar(&o.workers, "workers", 0, "workers in the pool (0: one per core; serial and asyncio: 1)")
	}
	fl.IntVar(&o.cores, "cores", 0, "pin the run to this many cores (0: all; Linux only; with --sim: the model machine's cores)")
	fl.DurationVar(&o.switchInterval, "switch-interval", 0, "gil: how long a waiting thread waits before asking for the lock (0: 5ms)")
	fl.IntVar(&o.chunkSize, "chunk-size", 0, "processes: tasks sent to a worker at once (0: automatic, as Pool.map)")
	fl.BoolVar(&o.fresh, "fresh", false, "processes: start a fresh process for every task (multiprocessing.Process)")
	fl.StringVar(&o.python, "python", "", "py-* models: the Python interpreter to run (default: python3 on PATH)")
	fl.StringVar(&o.start, "start-method", "", "py-processes, py-pool: fork, spawn or forkserver (default: the interpreter's)")
	fl.DurationVar(&o.cancelAfter, "cancel-after", 0, "cancel every task still queued this long after the start (0: never), as Future.cancel()")
	fl.StringVar(&o.tasks, "tasks", "", "the work, e.g. '8*cpu(100ms)', '50*http(50ms)', '4*[io(20ms) cpu(5ms)]', 'cpu(200ms) then 16*cpu(100ms)'")
	fl.BoolVar(&o.sim, "sim", false, "simulate on a model machine (--cores up to 256, --workers up to 1024) instead of running for real")
	fl.StringVar(&o.profile, "profile", "", "with --sim: the cost profile, this-machine (measured, the default), cpython or cpython-spawn")
	if b.tasksRequired {
		cmd.MarkFlagRequired("tasks")
	}
}

// spec turns the flags into a validated spec; any problem is a usage error.
func (o *specOptions) spec() (experiment.Spec, error) {
	model, err := experiment.ParseModel(o.model)
	if err != nil {
		return experiment.Spec{}, usageError("--model: %v", err.(*experiment.FieldError).Msg)
	}
	tasks, err := experiment.ParseTasks(o.tasks)
	if err != nil {
		return experiment.Spec{}, usageError("--tasks %q: %v", o.tasks, err)
	}
	spec := experiment.Spec{Model: model, Workers: o.workers, Cores: o.cores, SwitchInterval: o.switchInterval,
		ChunkSize: o.chunkSize, Fresh: o.fresh, Python: o.python, StartMethod: o.start, Tasks: tasks, Sim: o.sim, Profile: o.profile, CancelAfter: o.cancelAfter}
	if err := spec.Validate(); err != nil {
		return experiment.Spec{}, usageError("%s", flagErrors(err))
	}
	return spec, nil
}

// flagErrors spells validation errors with the flag each came from, one a line.
func flagErrors(err error) string {
	var out string
	for _, e := range experiment.Errors(err) {
		var fe *experiment.FieldError
		if errors.As(e, &fe) {
			e = fmt.Errorf("--%s", fe.Error())
		}
		if out != "" {
			out += "\n"
		}
		out += e.Error()
	}
	return out
}
