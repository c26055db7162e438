package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/spf13/cobra"

	"github.com/coreography/coreography/lessons"
	"github.com/coreography/coreography/timeline"
	"github.com/coreography/coreography/ui"
)

// defaultLabTasks is what the lab runs when --tasks is not given: enough CPU work to
// see every core busy (or not) in about a second.
const defaultLabTasks = "8*cpu(100ms)"

// tuiFlags are the flags every full-screen command shares.
type tuiFlags struct {
	color   string
	present bool
}

// addTUICommands makes the bare command open home, and adds open, lab and replay.
func addTUICommands(root *cobra.Command) {
	var tf tuiFlags
	pf := root.PersistentFlags()
	pf.StringVar(&tf.color, "color", "auto", "colour in the full-screen app: never, auto (honours NO_COLOR) or always")
	pf.BoolVar(&tf.present, "present", false, "projector mode: roomier layout, high contrast, step counter, no help bar")

	root.Args = cobra.NoArgs
	root.RunE = func(cmd *cobra.Command, _ []string) error {
		return runTUI(cmd, tf, ui.AppOptions{})
	}

	root.AddCommand(&cobra.Command{
		Use:     "open LESSON",
		Short:   "Open a lesson by id or file path, where you left off",
		Example: "  coreography open gil\n  coreography open ./my-lesson.md --present",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTUI(cmd, tf, ui.AppOptions{}, args[0])
		},
	})

	var spec specFlags
	var labJSON bool
	lab := &cobra.Command{
		Use:   "lab",
		Short: "Open the lab with an experiment ready to run (r)",
		Example: "  coreography lab\n" +
			"  coreography lab --model processes --workers 2 --tasks '16*cpu(150ms)'",
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
			return runTUI(cmd, tf, ui.AppOptions{Lab: true, LabSpec: s})
		},
	}
	spec.bind(lab, false)
	lab.Flags().BoolVar(&labJSON, "json", false, "run the experiment drawn live off-screen (100×30, 30 fps) and print its stats and the app's own CPU share as JSON")
	root.AddCommand(lab)

	root.AddCommand(&cobra.Command{
		Use:     "replay TRACE.json",
		Short:   "Open a recorded run (from run --trace) in the timeline",
		Example: "  coreography run --model gil --tasks '4*cpu(100ms)' --trace gil.json\n  coreography replay gil.json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			t, err := readTraceFile(args[0])
			if err != nil {
				return err
			}
			return runTUI(cmd, tf, ui.AppOptions{Replay: t})
		},
	})
}

// readTraceFile reads a Chrome/Perfetto trace; any problem is the caller's input: exit 2.
func readTraceFile(path string) (*timeline.Trace, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, usageError("replay: %v", err)
	}
	defer f.Close()
	t, err := timeline.ReadChrome(f) // streamed: memory follows the events, not the file
	if err != nil {
		return nil, usageError("replay %s: %v", path, err)
	}
	return t, nil
}

// colorOption turns --color into the program's colour profile; auto lets Bubble Tea
// detect it, which honours NO_COLOR.
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
		return nil, nil
	}
	return nil, usageError("--color %q: expected never, auto or always", mode)
}

// runTUI loads lessons and progress, runs the app until it quits or a signal ends it,
// and only returns once every run it started has stopped.
func runTUI(cmd *cobra.Command, tf tuiFlags, opt ui.AppOptions, lesson ...string) error {
	colour, err := colorOption(tf.color)
	if err != nil {
		return err
	}
	cat, catErrs := lessons.LoadCatalog("")
	if cat == nil {
		return &exitError{code: 1, err: fmt.Errorf("lessons: %w", errors.Join(catErrs...))}
	}
	prog, progErr := lessons.LoadProgress("")
	opt.Catalog, opt.CatalogErrs, opt.Progress, opt.ProgressErr = cat, catErrs, prog, progErr
	if len(lesson) > 0 {
		l, err := cat.Find(lesson[0])
		if err != nil {
			return usageError("open: %v", err)
		}
		opt.Lesson = l
		if id, step, ok := prog.Resume(); ok && id == l.ID && prog.Status(l) != lessons.Done {
			opt.LessonStep = step
		}
	}
	if opt.Runner == nil { // watch brings its own
		opt.Runner = newEngines()
	}
	opt.Present = tf.present

	// SIGTERM and SIGHUP (a closed terminal) end the program the way q does. Not
	// through tea.WithContext: a cancelled program context makes Bubble Tea v2.0.10
	// wait forever for its input reader; Quit shuts down cleanly.
	ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	var opts []tea.ProgramOption
	if colour != nil {
		opts = append(opts, colour)
	}
	app := ui.NewApp(opt)
	program := tea.NewProgram(app, opts...)
	ended := make(chan struct{})
	defer close(ended)
	go func() {
		select {
		case <-ctx.Done():
			program.Quit()
		case <-ended:
		}
	}()
	_, err = program.Run()
	// Whatever ended the program, no run may outlive it.
	app.Shutdown()
	switch {
	case errors.Is(err, tea.ErrInterrupted), ctx.Err() != nil:
		return &exitError{code: 130, err: errors.New("interrupted: every run was stopped")}
	case err == nil:
		return nil
	default:
		return &exitError{code: 1, err: err}
	}
}
