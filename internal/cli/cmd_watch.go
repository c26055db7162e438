package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/safefile"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/pools/cpython"
	"github.com/coreography/coreography/ui"
)

// addWatchCommand adds watch: any command's process tree, drawn on the cores from
// /proc samples alone. Only ever typed by the user: lessons never run commands.
func addWatchCommand(root *cobra.Command) {
	var asJSON bool
	var logPath string
	cmd := &cobra.Command{
		Use:   "watch [--json] [--log FILE] -- CMD [ARGS...]",
		Short: "Run any command and draw its threads on the cores (Linux)",
		Long: "watch runs a command and samples every thread of its process tree from /proc about\n" +
			"1000 times a second: running (on which core), preempted (waiting for a core) or asleep.\n" +
			"The command's own output goes to a log file, never over the screen. Ctrl-C stops the\n" +
			"whole tree. watch exits with the command's exit status.",
		Example: "  coreography watch -- python3 my_threads.py\n" +
			"  coreography watch --json -- python3 -c 'import threading; ...'",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if logPath == "" {
				logPath = filepath.Join(os.TempDir(), "coreography-watch-"+strconv.Itoa(os.Getpid())+".log")
			}
			log, err := safefile.OpenOutputFile(logPath) // never through a symlink planted there
			if err != nil {
				return usageError("watch: --log: %v", err)
			}
			defer log.Close()
			title := strings.Join(strings.Fields(strings.Join(args, " ")), " ")
			if _, err := exec.LookPath(args[0]); err != nil {
				return finishWatch(cmd, cpython.Watched{}, &cpython.NotFoundError{Name: args[0]}, nil, logPath, asJSON)
			}
			if !asJSON && term.IsTerminal(int(os.Stdout.Fd())) {
				var tf tuiFlags // the root's persistent flags, as parsed
				tf.color, _ = cmd.Flags().GetString("color")
				tf.present, _ = cmd.Flags().GetBool("present")
				return runTUI(cmd, tf, ui.AppOptions{Watch: &ui.WatchOptions{Command: title, LogPath: logPath},
					Runner: watchRunner{argv: args, log: log}})
			}
			rec := timeline.NewRecorder(timeline.Meta{Name: title, Model: "watch"})
			w, err := cpython.Watch(cmd.Context(), args, log, rec)
			return finishWatch(cmd, w, err, rec, logPath, asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "when the command exits, print run --json's figures and the processes and threads seen")
	cmd.Flags().StringVar(&logPath, "log", "", "file for the command's stdout and stderr (default: a file in the temp directory)")
	root.AddCommand(cmd)
}

// watchRunner is the engine of watch's screen: whatever spec it is handed, it runs
// the command the user typed, once per Run.
type watchRunner struct {
	argv []string
	log  io.Writer
}

func (w watchRunner) Run(ctx context.Context, _ experiment.Spec, rec *timeline.Recorder) error {
	_, err := cpython.Watch(ctx, w.argv, w.log, rec)
	return err
}

// finishWatch reports a watched command: its figures as JSON, or its timeline.
func finishWatch(cmd *cobra.Command, w cpython.Watched, err error, rec *timeline.Recorder, logPath string, asJSON bool) error {
	var nf *cpython.NotFoundError
	switch {
	case errors.As(err, &nf):
		return &exitError{code: 127, err: fmt.Errorf("watch: %w", err)}
	case cpython.IsSetupError(err):
		return &exitError{code: 2, err: err}
	case cmd.Context().Err() != nil:
		return &exitError{code: 130, err: errors.New("interrupted: the command and everything it started were stopped")}
	case err != nil:
		return &exitError{code: 1, err: fmt.Errorf("watch: %w", err)}
	}
	trace := rec.Snapshot()
	out := cmd.OutOrStdout()
	if asJSON {
		data, err := json.Marshal(timeline.Compute(trace))
		if err != nil {
			return &exitError{code: 1, err: err}
		}
		fields := map[string]any{}
		json.Unmarshal(data, &fields)
		fields["processes_seen"], fields["threads_seen"] = w.Processes, w.Threads
		fields["exit_code"], fields["log"] = w.ExitCode, logPath
		fields["before_exec_s"] = w.BeforeExec.Seconds() // a wrapper's start-up, not counted
		if err := writeJSON(out, fields); err != nil {
			return err
		}
	} else {
		fmt.Fprint(out, ui.RenderRun(trace, terminalWidth()))
		fmt.Fprintf(out, "the command's output: %s\n", logPath)
	}
	if w.ExitCode != 0 {
		return &exitError{code: max(w.ExitCode, 1), err: fmt.Errorf("watch: %s exited with status %d", trace.Name, w.ExitCode)}
	}
	return nil
}
