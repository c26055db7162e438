package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui"
)

// specFlags are the flags that spell an experiment.Spec, shared by run and lab.
type specFlags struct {
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

func (f *specFlags) bind(cmd *cobra.Command, tasksRequired bool) {
	fl := cmd.Flags()
	fl.StringVar(&f.model, "model", "threads", "serial, threads, gil, processes or asyncio; on real CPython: py-serial, py-threads, py-processes, py-pool or py-asyncio")
	fl.IntVar(&f.workers, "workers", 0, "workers in the pool (0: one per core; serial and asyncio: 1)")
	fl.IntVar(&f.cores, "cores", 0, "pin the run to this many cores (0: all; Linux only)")
	fl.DurationVar(&f.switchInterval, "switch-interval", 0, "gil: how long a waiting thread waits before asking for the lock (0: 5ms)")
	fl.IntVar(&f.chunkSize, "chunk-size", 0, "processes: tasks sent to a worker at once (0: automatic, as Pool.map)")
	fl.BoolVar(&f.fresh, "fresh", false, "processes: start a fresh process for every task (multiprocessing.Process)")
	fl.StringVar(&f.python, "python", "", "py-* models: the Python interpreter to run (default: python3 on PATH)")
	fl.StringVar(&f.start, "start-method", "", "py-processes, py-pool: fork, spawn or forkserver (default: the interpreter's)")
	fl.DurationVar(&f.cancelAfter, "cancel-after", 0, "cancel every task still queued this long after the start (0: never), as Future.cancel()")
	fl.StringVar(&f.tasks, "tasks", "", "the work, e.g. '8*cpu(100ms)', '50*http(50ms)', '4*[io(20ms) cpu(5ms)]', 'cpu(200ms) then 16*cpu(100ms)'")
	fl.BoolVar(&f.sim, "sim", false, "simulate on a model machine (--cores up to 256, --workers up to 1024) instead of running for real")
	fl.StringVar(&f.profile, "profile", "", "with --sim: the cost profile, this-machine (measured, the default), cpython or cpython-spawn")
	if tasksRequired {
		cmd.MarkFlagRequired("tasks")
	}
}

// spec turns the flags into a validated spec; any problem is a usage error.
func (f *specFlags) spec() (experiment.Spec, error) {
	model, err := experiment.ParseModel(f.model)
	if err != nil {
		return experiment.Spec{}, usageError("--model: %v", err.(*experiment.FieldError).Msg)
	}
	tasks, err := experiment.ParseTasks(f.tasks)
	if err != nil {
		return experiment.Spec{}, usageError("--tasks %q: %v", f.tasks, err)
	}
	spec := experiment.Spec{Model: model, Workers: f.workers, Cores: f.cores, SwitchInterval: f.switchInterval,
		ChunkSize: f.chunkSize, Fresh: f.fresh, Python: f.python, StartMethod: f.start, Tasks: tasks, Sim: f.sim, Profile: f.profile, CancelAfter: f.cancelAfter}
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

func addRunCommand(root *cobra.Command) {
	var flags specFlags
	var asJSON bool
	var traceFile string
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run one experiment for real and print its timeline and stats",
		Example: "  coreography run --model gil --workers 2 --tasks '8*cpu(100ms)'\n" +
			"  coreography run --model processes --workers 2 --tasks '8*cpu(100ms)' --json\n" +
			"  coreography run --model asyncio --tasks '10000*io(50ms)' --trace run.json",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			spec, err := flags.spec()
			if err != nil {
				return err
			}
			if cmd.Flags().Changed("trace") && traceFile == "" {
				return usageError("--trace: give a file name to write the trace to")
			}
			rec := timeline.NewRecorder(spec.Meta())
			if err := newEngines().Run(cmd.Context(), spec, rec); err != nil {
				if cmd.Context().Err() != nil {
					return &exitError{code: 130, err: errors.New("interrupted: the run was stopped and its workers ended")}
				}
				if errors.Is(err, experiment.ErrUnavailable) { // no python3, say: the user can fix it
					return &exitError{code: 2, err: err}
				}
				return &exitError{code: 1, err: err}
			}
			trace := rec.Snapshot()
			if traceFile != "" {
				if err := writeTraceFile(traceFile, trace); err != nil {
					return &exitError{code: 1, err: err}
				}
			}
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(timeline.Compute(trace))
			}
			_, err = fmt.Fprint(out, ui.RenderRun(trace, terminalWidth()))
			return err
		},
	}
	flags.bind(cmd, true)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the stats as one JSON object instead of the timeline")
	cmd.Flags().StringVar(&traceFile, "trace", "", "also write the run as Chrome/Perfetto trace JSON to this file")
	root.AddCommand(cmd)
}

func writeTraceFile(path string, t *timeline.Trace) error {
	// Streamed as it is encoded, so the file never exists in memory whole, into a
	// temporary file renamed over path at the end: a failed write (a full disk, a
	// signal) leaves no truncated trace.
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("trace: %w", err)
	}
	defer os.Remove(tmp.Name()) // nothing to remove once renamed
	err = timeline.WriteChrome(tmp, t)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("trace %s: %w", path, err)
	}
	return nil
}

// terminalWidth is stdout's width, or 100 columns when it is not a terminal.
func terminalWidth() int {
	if w, _, err := term.GetSize(int(os.Stdout.Fd())); err == nil && w >= 40 {
		return w
	}
	return 100
}
