package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/coreography/coreography/internal/safefile"
	"github.com/coreography/coreography/internal/timeline"
	uitimeline "github.com/coreography/coreography/ui/timeline"
)

func addRunCommand(root *cobra.Command) {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run one experiment for real and print its timeline and stats",
		Example: `  coreography run --model gil --workers 2 --tasks '8*cpu(100ms)'
  coreography run --model processes --workers 2 --tasks '8*cpu(100ms)' --json
  coreography run --model asyncio --tasks '10000*io(50ms)' --trace run.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runOnce(cmd, f) },
	}
	f.spec.bind(cmd, specBinding{tasksRequired: true})
	cmd.Flags().BoolVar(&f.asJSON, "json", false, "print the stats as one JSON object instead of the timeline")
	cmd.Flags().StringVar(&f.traceFile, "trace", "", "also write the run as Chrome/Perfetto trace JSON to this file")
	root.AddCommand(cmd)
}

// runFlags are run's flags.
type runFlags struct {
	spec      specOptions
	asJSON    bool
	traceFile string
}

// runOnce is run: the experiment once, for real, drawn or as JSON.
func runOnce(cmd *cobra.Command, f runFlags) error {
	spec, err := f.spec.spec()
	if err != nil {
		return err
	}
	if cmd.Flags().Changed("trace") && f.traceFile == "" {
		return usageError("--trace: give a file name to write the trace to")
	}
	if f.traceFile != "" {
		// Checked before the run, so a run is not wasted on a trace it cannot write.
		if err := safefile.CheckOutput(f.traceFile); err != nil {
			return usageError("--trace: %v", err)
		}
	}
	rec := timeline.NewRecorder(spec.Meta())
	if err := newEngines().Run(cmd.Context(), spec, rec); err != nil {
		return exitFor(cmd.Context(), err)
	}
	trace := rec.Snapshot()
	if f.traceFile != "" {
		if err := writeTraceFile(f.traceFile, trace); err != nil {
			return &exitError{code: 1, err: err}
		}
	}
	out := cmd.OutOrStdout()
	if f.asJSON {
		return writeJSON(out, timeline.Compute(trace))
	}
	_, err = fmt.Fprint(out, uitimeline.RenderRun(trace, terminalWidth()))
	return err
}

// writeTraceFile streams the trace as it is encoded, so it never exists in memory
// whole, to a regular file or a new path only (see safefile): a symlink, device or
// FIFO put there after the check is refused, not written through or replaced.
func writeTraceFile(path string, t *timeline.Trace) error {
	err := safefile.WriteOutput(path, func(w io.Writer) error { return timeline.WriteChrome(w, t) })
	if err != nil {
		return fmt.Errorf("--trace %s: %w", path, err)
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
