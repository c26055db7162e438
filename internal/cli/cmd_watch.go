package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/procwatch"
	"github.com/coreography/coreography/internal/safefile"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui"
)

// watchFlags are watch's flags.
type watchFlags struct {
	asJSON  bool
	logPath string
	pid     int
	source  string
}

// addWatchCommand adds watch: any command's process tree, drawn on the cores. Only
// ever typed by the user: lessons never run commands.
func addWatchCommand(root *cobra.Command) {
	var f watchFlags
	cmd := &cobra.Command{
		Use:   "watch [-p PID | -- CMD [ARGS...]]",
		Short: "Run any command, or attach to one, and draw its threads on the cores (Linux)",
		Long: `watch runs a command and draws every thread of its process tree on the cores: running
(on which core), waiting for a core, asleep, waiting for the GIL (CPython only). It reads
the scheduler's own events where the kernel allows (root, CAP_PERFMON), else samples /proc.
The command's output goes to a log file, never over the screen. Ctrl-C or q stops the whole
tree. watch exits with the command's status, 128+N when signal N ended it.
With -p PID it attaches to a running program, read-only: quitting detaches.`,
		Example: `  coreography watch -- python3 my_threads.py
  coreography watch -p 4242
  coreography watch --json --source proc-sampling -- make -j2`,
		RunE: func(cmd *cobra.Command, args []string) error { return runWatch(cmd, f, args) },
	}
	cmd.Flags().BoolVar(&f.asJSON, "json", false, "when the command exits, print its figures, processes and threads as JSON")
	cmd.Flags().StringVar(&f.logPath, "log", "", "file for the command's stdout and stderr (default: a private file, removed unless the command fails)")
	cmd.Flags().IntVarP(&f.pid, "pid", "p", 0, "attach to this running process and its descendants, read-only")
	cmd.Flags().StringVar(&f.source, "source", "auto", "where states come from: auto, "+procwatch.SourceEvents+" or "+procwatch.SourceSampling)
	root.AddCommand(cmd)
}

func runWatch(cmd *cobra.Command, f watchFlags, args []string) error {
	switch {
	case f.pid > 0 && len(args) > 0:
		return usageError("watch: give -p PID or a command, not both")
	case f.pid <= 0 && len(args) == 0:
		return usageError("watch: give a command after --, or -p PID")
	case f.source != "auto" && f.source != procwatch.SourceEvents && f.source != procwatch.SourceSampling:
		return usageError("watch: --source %q: want auto, %s or %s", f.source, procwatch.SourceEvents, procwatch.SourceSampling)
	}
	opt := procwatch.Options{Argv: args, PID: f.pid, Source: strings.TrimPrefix(f.source, "auto")}
	title := strings.Join(strings.Fields(strings.Join(args, " ")), " ")
	run := &watchRunner{opt: opt, log: &watchLog{}}
	if f.pid > 0 {
		title = fmt.Sprintf("pid %d", f.pid)
	} else {
		log, err := openWatchLog(f.logPath)
		if err != nil {
			return err
		}
		run.log, run.opt.Log = log, log.File
	}
	if !f.asJSON && term.IsTerminal(int(os.Stdout.Fd())) {
		var tf tuiFlags // the root's persistent flags, as parsed
		tf.color, _ = cmd.Flags().GetString("color")
		tf.present, _ = cmd.Flags().GetBool("present")
		err := runTUI(cmd, tf, ui.AppOptions{Watch: &ui.WatchOptions{Command: title, LogPath: run.log.name()}, Runner: run})
		return run.finishTUI(cmd, err)
	}
	rec := timeline.NewRecorder(timeline.Meta{Name: title, Model: "watch", Source: timeline.SourceReal})
	err := run.Run(cmd.Context(), experiment.Spec{}, rec)
	return run.finish(cmd, err, rec, f.asJSON)
}

// watchLog is where the command's output goes: a file the user named, or a private
// one in a directory of its own, removed at exit unless the command failed.
type watchLog struct {
	*os.File
	dir string // the private directory; "" for a file the user named
}

func (l *watchLog) name() string {
	if l.File == nil {
		return ""
	}
	return l.Name()
}

// openWatchLog opens the log: the file named, which must be a regular file or a new
// path, or a new file (O_EXCL) in a new private directory (0700, from os.MkdirTemp).
func openWatchLog(path string) (*watchLog, error) {
	if path == "" {
		dir, err := os.MkdirTemp("", "coreography-watch-")
		if err != nil {
			return nil, usageError("watch: a private directory for the command's output: %v", err)
		}
		f, err := os.OpenFile(filepath.Join(dir, "output.log"), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			os.RemoveAll(dir)
			return nil, usageError("watch: the command's output file: %v", err)
		}
		return &watchLog{File: f, dir: dir}, nil
	}
	f, err := safefile.OpenOutputFile(path) // never through a symlink, device or FIFO planted there
	if err != nil {
		return nil, usageError("watch: --log: %v", err)
	}
	return &watchLog{File: f}, nil
}

// done closes the log and removes a private one, unless the command failed: then its
// path is what finish prints.
func (l *watchLog) done(failed bool) {
	if l.File == nil {
		return
	}
	l.Close()
	if l.dir != "" && !failed {
		os.RemoveAll(l.dir)
	}
}

// watchRunner is the engine of watch's screen and of its plain output: whatever spec
// it is handed, it watches what the user asked for, and keeps what it saw.
type watchRunner struct {
	opt procwatch.Options
	log *watchLog
	mu  sync.Mutex
	w   procwatch.Watched
	err error
	ran bool
}

func (r *watchRunner) Run(ctx context.Context, _ experiment.Spec, rec *timeline.Recorder) error {
	rec.SetNote(watchNote(r.opt.Source))
	opt := r.opt
	var unhook func()
	// An app that has to exit at once (a second signal) still ends the whole tree.
	opt.Started = func(end func()) { unhook = onForcedExit(end) }
	defer func() {
		if unhook != nil {
			unhook()
		}
	}()
	w, err := procwatch.Watch(ctx, opt, rec)
	r.mu.Lock()
	r.w, r.err, r.ran = w, err, true
	r.mu.Unlock()
	return err
}

// watchNote says where a watch's states come from.
func watchNote(want string) string {
	src, why := procwatch.Available(want)
	if src == procwatch.SourceEvents {
		return "observed from outside: every switch from the scheduler's events (" + src + ")"
	}
	return fmt.Sprintf("observed from outside: /proc sampled every %v (%s: %s)", procwatch.SampleEvery, src, why)
}

// watchExit is the status watch exits with, and the error that says why: the
// command's own, 128+N when signal N reached the watch (130 for q or Ctrl-C), 0 for a
// program attached to.
func watchExit(ctx context.Context, w procwatch.Watched, err error, attached, quit bool) error {
	var nf *procwatch.NotFoundError
	var un *procwatch.UnsupportedError
	switch {
	case errors.As(err, &nf) && attached:
		return &exitError{code: 1, err: fmt.Errorf("watch: %w", err)}
	case errors.As(err, &nf):
		return &exitError{code: 127, err: fmt.Errorf("watch: %w", err)}
	case errors.As(err, &un):
		return &exitError{code: 2, err: err}
	case attached && err == nil:
		return nil
	}
	if code, ok := signalStatus(ctx); ok && !attached {
		return &exitError{code: code, err: errors.New("interrupted: the command and everything it started were stopped")}
	}
	if quit && !attached {
		return &exitError{code: 130, err: errors.New("stopped: the command and everything it started were ended")}
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		return &exitError{code: 1, err: fmt.Errorf("watch: %w", err)}
	}
	if w.ExitCode != 0 {
		return &exitError{code: w.ExitCode, err: fmt.Errorf("watch: the command exited with status %d", w.ExitCode)}
	}
	return nil
}
