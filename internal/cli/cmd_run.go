package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui"
)

func addRunCommand(root *cobra.Command) {
	var flags specOptions
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
				return exitFor(cmd.Context(), err)
			}
			trace := rec.Snapshot()
			if traceFile != "" {
				if err := writeTraceFile(traceFile, trace); err != nil {
					return &exitError{code: 1, err: err}
				}
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(out, timeline.Compute(trace))
			}
			_, err = fmt.Fprint(out, ui.RenderRun(trace, terminalWidth()))
			return err
		},
	}
	flags.bind(cmd, specBinding{tasksRequired: true})
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
