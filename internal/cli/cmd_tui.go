package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/coreography/coreography/internal/inputfile"
	"github.com/coreography/coreography/internal/lessonwatch"
	"github.com/coreography/coreography/internal/termsafe"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/internal/tty"
	"github.com/coreography/coreography/lessons"
	"github.com/coreography/coreography/ui"
	"github.com/coreography/coreography/ui/common"
	"github.com/coreography/coreography/ui/panel"
)

// defaultLabTasks is what the lab runs when --tasks is not given: enough CPU work to
// see every core busy (or not) in about a second.
const defaultLabTasks = "8*cpu(100ms)"

// tuiFlags are the flags every full-screen command shares.
type tuiFlags struct {
	color   string
	present bool
	notes   bool // the lesson's speaker notes, for a presenter
	watch   bool // open: read the lesson file again when it is saved
}

// addTUICommands makes the bare command open home, and adds open, lab and replay.
func addTUICommands(root *cobra.Command) {
	var tf tuiFlags
	pf := root.PersistentFlags()
	pf.StringVar(&tf.color, "color", "auto", "colour in the full-screen app: never, auto (honours NO_COLOR) or always")
	pf.BoolVar(&tf.present, "present", false, "projector mode: roomier layout, high contrast, step counter, no help bar")
	pf.BoolVar(&tf.notes, "notes", false, "with --present: show the lesson's speaker notes (its notes blocks) to the presenter")

	root.Args = cobra.NoArgs
	// --color and --present shape the full-screen app only; elsewhere they would be
	// silently ignored, so they are refused.
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		if tuiCommands[cmd.Name()] {
			if tf.notes && !tf.present {
				return usageError("--notes goes with --present: speaker notes are for a presenter, not a learner")
			}
			return nil
		}
		for _, name := range []string{"color", "present", "notes"} {
			if cmd.Flags().Changed(name) {
				return usageError("--%s is for the full-screen app (coreography, open, lab, replay, class); %s prints plain text", name, cmd.Name())
			}
		}
		return nil
	}
	root.RunE = func(cmd *cobra.Command, _ []string) error {
		return runTUI(cmd, tf, ui.AppOptions{})
	}

	root.AddCommand(openCommand(&tf), labCommand(&tf), replayCommand(&tf), classCommand(&tf))
}

// openCommand is open: a lesson by id or file, where the learner left off.
func openCommand(tf *tuiFlags) *cobra.Command {
	open := &cobra.Command{
		Use:   "open LESSON",
		Short: "Open a lesson by id or file path, where you left off",
		Example: `  coreography open gil
  coreography open ./my-lesson.md --present --notes
  coreography open ./my-lesson.md --watch`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTUI(cmd, *tf, ui.AppOptions{}, args[0])
		},
	}
	open.Flags().BoolVar(&tf.watch, "watch", false, "read the lesson file again each time it is saved, on the same step; a broken save shows its errors until a good one")
	return open
}

// labCommand is lab: the lab with a spec ready to run, or --json to measure it.
func labCommand(tf *tuiFlags) *cobra.Command {
	var spec specOptions
	var labJSON bool
	lab := &cobra.Command{
		Use:   "lab",
		Short: "Open the lab with an experiment ready to run (r)",
		Example: `  coreography lab
  coreography lab --model processes --workers 2 --tasks '16*cpu(150ms)'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if spec.tasks == "" {
				spec.tasks = defaultLabTasks
			}
			s, err := spec.spec()
			if err != nil {
				return err
			}
			if labJSON {
				return measureLab(cmd, s)
			}
			return runTUI(cmd, *tf, ui.AppOptions{Lab: true, LabSpec: s})
		},
	}
	spec.bind(lab, specBinding{})
	lab.Flags().BoolVar(&labJSON, "json", false, "run the experiment in the lab off-screen (100×30, 30 fps, r pressed for you) and print its stats and the app's own CPU share as JSON")
	return lab
}

// replayCommand is replay: a recorded run in the timeline.
func replayCommand(tf *tuiFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "replay TRACE.json",
		Short: "Open a recorded run (from run --trace) in the timeline",
		Example: `  coreography run --model gil --tasks '4*cpu(100ms)' --trace gil.json
  coreography replay gil.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			go common.WarmWidthTables() // beside the decoding, for the first frame
			t, err := readTraceFile(args[0])
			if err != nil {
				return err
			}
			return runTUI(cmd, *tf, ui.AppOptions{Replay: t})
		},
	}
}

// hasKeyboard reports whether the app can read keys: stdin is a terminal, or (as
// Bubble Tea then does) the controlling terminal opens.
func hasKeyboard() bool {
	if term.IsTerminal(int(os.Stdin.Fd())) || runtime.GOOS == "windows" {
		return true
	}
	tty, err := os.Open("/dev/tty")
	if err != nil {
		return false
	}
	tty.Close()
	return true
}

// safeErrors spells errors for the screen: a file name in the lessons folder may
// hold escape sequences, which must not reach the terminal.
func safeErrors(errs []error) []error {
	out := make([]error, len(errs))
	for i, err := range errs {
		out[i] = errors.New(termsafe.Strip(err.Error()))
	}
	return out
}

// tuiCommands are the commands that open the full-screen app.
var tuiCommands = map[string]bool{"coreography": true, "open": true, "lab": true, "replay": true, "class": true}

// readTraceFile reads a Chrome/Perfetto trace; any problem is the caller's input: exit 2.
func readTraceFile(path string) (*timeline.Trace, error) {
	// A regular file (never a FIFO or device) no larger than the largest trace a run
	// within the limits writes.
	f, err := inputfile.Open(path, timeline.MaxTraceBytes)
	if err != nil {
		return nil, usageError("replay %v", err)
	}
	defer f.Close()
	t, err := timeline.ReadChrome(f) // streamed: memory follows the events, not the file
	if err != nil {
		return nil, usageError("replay %s: %v", path, err)
	}
	// What decoding needed on the way (its chunks of slices and result rows) is
	// garbage now. Collected before the screen is measured and drawn, its pages take
	// those allocations; otherwise each comes from fresh memory, every page a fault,
	// and the first frame comes later (docs/performance.md).
	runtime.GC()
	return t, nil
}

// colorOption turns --color into the program's colour profile. auto is what lipgloss
// detected for stdout as the program started (honouring NO_COLOR too): Bubble Tea would
// detect it again, and in tmux each detection runs tmux info, a process of its own
// before the first frame.
func colorOption(mode string) (tea.ProgramOption, error) {
	switch mode {
	case "never":
		return tea.WithColorProfile(colorprofile.Ascii), nil
	case "always":
		return tea.WithColorProfile(colorprofile.TrueColor), nil
	case "auto", "":
		if os.Getenv("NO_COLOR") != "" {
			return tea.WithColorProfile(colorprofile.Ascii), nil
		}
		return tea.WithColorProfile(lipgloss.Writer.Profile), nil
	}
	return nil, usageError("--color %q: expected never, auto or always", mode)
}

// runTUI loads lessons and progress, runs the app until it quits or a signal ends it,
// and only returns once every run it started has stopped.
func runTUI(cmd *cobra.Command, tf tuiFlags, opt ui.AppOptions, lesson ...string) error {
	// Checked before anything is loaded or recorded: a full-screen app drawn into a
	// file or pipe is a blank screen, and its progress would be a lie.
	if !term.IsTerminal(int(os.Stdout.Fd())) {
		return usageError("%s: the full-screen app needs a terminal on stdout; for plain output use coreography play or coreography run", cmd.Name())
	}
	if !hasKeyboard() {
		return usageError("%s: the full-screen app needs a terminal to read keys from; for plain output use coreography play or coreography run", cmd.Name())
	}
	colour, err := colorOption(tf.color)
	if err != nil {
		return err
	}
	go common.WarmWidthTables() // beside the loading, for the first frame
	if err := loadApp(&opt, tf.watch, lesson...); err != nil {
		return err
	}
	opt.Present, opt.Notes = tf.present, tf.notes || opt.Class != nil
	watch := ""
	if tf.watch {
		watch = lesson[0]
	}
	return runProgram(cmd.Context(), opt, colour, watch)
}

// loadApp fills in what the app opens with: the lessons, the learner's progress,
// the lesson asked for (where the learner left off; with watch, read as a file) and
// the runner.
func loadApp(opt *ui.AppOptions, watch bool, lesson ...string) error {
	cat, catErrs := lessons.LoadCatalog("")
	if cat == nil {
		return &exitError{code: 1, err: fmt.Errorf("lessons: %w", errors.Join(catErrs...))}
	}
	prog, progErr := lessons.LoadProgress("")
	opt.Catalog, opt.CatalogErrs, opt.Progress = cat, safeErrors(catErrs), prog
	if progErr != nil {
		opt.ProgressErr = safeErrors([]error{progErr})[0]
	}
	if err := openLesson(opt, cat, watch, lesson...); err != nil {
		return err
	}
	opt.References = builtinReferences
	if opt.Runner == nil { // watch brings its own
		opt.Runner = newDrawnEngines()
	}
	return nil
}

// openLesson sets the lesson the app opens with, if one was named, where the learner
// left off. With watch it is read as a file, and a broken one opens too, showing its
// errors until a save fixes them.
func openLesson(opt *ui.AppOptions, cat *lessons.Catalog, watch bool, lesson ...string) error {
	if watch && (len(lesson) == 0 || !isFile(lesson[0])) {
		return usageError("--watch reads a lesson file again when it is saved: give the file's path")
	}
	if len(lesson) == 0 {
		return nil
	}
	l, err := cat.Find(lesson[0])
	if watch {
		var errs []error
		if l, errs = lessons.Reload(lesson[0]); len(errs) > 0 {
			l, opt.LessonErrs = &lessons.Lesson{Title: lesson[0], Path: lesson[0]}, safeErrors(errs)
		}
	} else if err != nil {
		return lessonError(err)
	}
	opt.Lesson = l
	if id, step, ok := opt.Progress.Resume(); ok && id == l.ID && opt.Progress.Status(l) != lessons.Done {
		opt.LessonStep = step
	}
	return nil
}

// watchLesson sends the app the lesson at path each time it is saved, until the
// returned stop is called.
func watchLesson(ctx context.Context, program *tea.Program, path string) (stop func(), err error) {
	ctx, stop = context.WithCancel(ctx)
	err = lessonwatch.Watch(ctx, path, func(l *lessons.Lesson, errs []error) {
		program.Send(ui.LessonReloadedMsg{Lesson: l, Errs: safeErrors(errs)})
	})
	if err != nil {
		stop()
		return nil, usageError("%v", err)
	}
	return stop, nil
}

// isFile reports whether path names a file (a lesson given by path, not by id).
func isFile(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir()
}

// runProgram runs the app until it quits, a signal ends it or the terminal goes, and
// returns once every run it started has stopped. With watch, the lesson file at that
// path is read again each time it is saved.
func runProgram(ctx context.Context, opt ui.AppOptions, colour tea.ProgramOption, watch string) error {
	// INT, TERM and HUP (a closed terminal) end the program the way q does: main owns
	// them (signals.go) and cancels ctx; Bubble Tea's own handler is off. Not through
	// tea.WithContext: a cancelled program context makes Bubble Tea v2.0.10 wait
	// forever for its input reader; Quit shuts down cleanly.
	gone := make(chan struct{}) // closed when the terminal has hung up
	opt.Flushes = common.NewFlushes()
	output := tty.Output(func() { close(gone) }, opt.Flushes.Wrote)
	opts := []tea.ProgramOption{tea.WithoutSignalHandler(), tea.WithFPS(panel.RendererFPS), tea.WithOutput(output)}
	if colour != nil {
		opts = append(opts, colour)
	}
	app := ui.NewApp(opt)
	program := tea.NewProgram(app, opts...)
	if watch != "" {
		stop, err := watchLesson(ctx, program, watch)
		if err != nil {
			return err
		}
		defer stop()
	}
	defer onForcedExit(tty.Restore())()
	ended := make(chan struct{})
	defer close(ended)
	go func() {
		select {
		case <-ctx.Done():
			program.Quit()
		case <-gone: // the terminal hung up and no SIGHUP came: end as q does
			program.Quit()
		case <-ended:
		}
	}()
	_, err := program.Run()
	// Whatever ended the program, no run may outlive it.
	app.Shutdown()
	switch {
	case errors.Is(err, tea.ErrInterrupted), app.Interrupted(), ctx.Err() != nil:
		return &exitError{code: 130, err: errors.New("interrupted: every run was stopped")}
	case isClosed(gone):
		return &exitError{code: 129, err: errors.New("the terminal was closed: every run was stopped")}
	case err == nil:
		return nil
	default:
		return &exitError{code: 1, err: err}
	}
}

// isClosed reports whether ch has been closed.
func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
