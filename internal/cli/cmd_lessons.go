package cli

import (
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/coreography/coreography/internal/termsafe"
	"github.com/coreography/coreography/lessons"
	"github.com/coreography/coreography/ui/handout"
)

// addLessonCommands adds list, check and play: the lesson commands that need no screen.
func addLessonCommands(root *cobra.Command) {
	root.AddCommand(listCommand(), checkCommand(), playCommand(), referenceCommand())
}

func listCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the lessons: built-in ones and those in your lessons folder",
		Long: "List every lesson with its id, length and title. Your own lessons live in\n" +
			lessons.DefaultUserDir() + " (set XDG_CONFIG_HOME to move it).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cat, errs := lessons.LoadCatalog("")
			for _, err := range errs {
				fmt.Fprintf(cmd.ErrOrStderr(), "warning: %s\n", termsafe.Strip(err.Error()))
			}
			progress, err := lessons.LoadProgress("")
			if err != nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "warning: %s\n", termsafe.Strip(err.Error()))
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tMIN\tTITLE\tSTATUS")
			for _, l := range cat.Lessons() {
				status := progress.Status(l).String()
				if right, judged := progress.Score(l); judged > 0 {
					status += fmt.Sprintf(" (%d of %d predictions right)", right, judged)
				}
				fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", l.ID, l.Minutes, l.Title, status)
			}
			return tw.Flush()
		},
	}
}

func checkCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "check FILE...",
		Short: "Check lesson scripts and report every problem as file:line:col",
		Long: `Check lesson scripts: YAML, keys, task notation, predictions and their
conditions, ids, limits, and, where the lessons' directory ships reference runs
(reference/<id>/), that each judged run's reference run was recorded from the spec
it runs now (one not yet recorded is a warning). Prints each problem as
file:line:col: message and exits 1 when there is any, 0 when every file is clean.`,
		Example: `  coreography check my-lesson.md
  coreography check assets/lessons/*.md`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			stale, missing := checkReferences(files)
			errs := append(lessons.Check(files), stale...)
			out := cmd.OutOrStdout()
			for _, err := range missing {
				fmt.Fprintf(cmd.ErrOrStderr(), "warning: %s (record it: assets/lessons/reference/make)\n", termsafe.Strip(err.Error()))
			}
			for _, err := range errs {
				if _, werr := fmt.Fprintln(out, termsafe.Strip(err.Error())); werr != nil {
					return &exitError{code: 1, err: fmt.Errorf("writing the report: %w", werr)}
				}
			}
			if len(errs) > 0 {
				return &exitError{code: 1, err: fmt.Errorf("%d problem(s) in %d file(s) checked", len(errs), len(files))}
			}
			if _, err := fmt.Fprintf(out, "%d lesson file(s) checked: no problems\n", len(files)); err != nil {
				return &exitError{code: 1, err: fmt.Errorf("writing the report: %w", err)}
			}
			return nil
		},
	}
}

func playCommand() *cobra.Command {
	var asJSON, worksheet, answers bool
	var whenDisturbed string
	cmd := &cobra.Command{
		Use:   "play LESSON",
		Short: "Play a lesson without a screen: text, real runs, timelines and predictions",
		Long: `Play a lesson in a plain terminal, for handouts and CI: every step's text, every
experiment run for real and drawn as a text timeline, and for every prediction
the choice the measurement supports. LESSON is an id (see list) or a file.
Exits 1 when a run fails or measures something other than a prediction's answer,
and 3 when other programs kept disturbing a run through two retries (not judged;
--disturbed=judge or --disturbed=reference judge such a run anyway or show the
lesson's reference run instead).`,
		Example: `  coreography play gil
  coreography play my-lesson.md --json
  coreography play gil --worksheet > gil-worksheet.txt`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, errs := lessons.LoadCatalog("")
			for _, err := range errs {
				fmt.Fprintf(cmd.ErrOrStderr(), "warning: %s\n", termsafe.Strip(err.Error()))
			}
			l, err := cat.Find(args[0])
			if err != nil {
				return lessonError(err)
			}
			if worksheet || answers {
				// Paper for a class: nothing runs, so nothing measured can show.
				return lessons.WriteSheet(cmd.OutOrStdout(), l, min(terminalWidth(), 100), answers)
			}
			opt := handout.PlayOptions{Width: terminalWidth(), JSON: asJSON, References: lessonReferences(l)}
			switch whenDisturbed {
			case "refuse":
			case handout.JudgeAnyway, handout.Reference:
				opt.WhenDisturbed = whenDisturbed
			default:
				return usageError("--disturbed %q: want refuse, judge or reference", whenDisturbed)
			}
			err = handout.Play(cmd.Context(), cmd.OutOrStdout(), l, newEngines(), opt)
			var disturbed *handout.DisturbedError
			switch {
			case err == nil:
				return nil
			case cmd.Context().Err() == nil && errors.As(err, &disturbed):
				return &exitError{code: 3, err: err}
			default:
				return exitFor(cmd.Context(), err)
			}
		},
	}
	cmd.Flags().BoolVar(&worksheet, "worksheet", false, "print the lesson's questions and their choices for a class, as plain text, with no answers and nothing measured; runs nothing")
	cmd.Flags().BoolVar(&answers, "answers", false, "print the answer key to --worksheet: each question, its answer and why; runs nothing")
	cmd.Flags().StringVar(&whenDisturbed, "disturbed", "refuse", "what to do with a run other programs kept disturbing through every try: "+
		"refuse (not judged, exit 3), judge (judge it anyway, the verdict marked with what others took) "+
		"or reference (judge the lesson's reference run, recorded on a quiet machine, instead)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object per experiment run (JSON Lines): the run --json fields plus lesson, step, run, what ran (spec, task_spec, chunk_size, switch_interval_s) and, on the run a prediction quotes, predicted_ok")
	cmd.MarkFlagsMutuallyExclusive("worksheet", "answers", "json")
	return cmd
}

// lessonError is the exit status for a lesson that could not be found (2: the
// argument is wrong) or read (1: the file is).
func lessonError(err error) error {
	if errors.Is(err, lessons.ErrNotFound) {
		return &exitError{code: 2, err: err}
	}
	return &exitError{code: 1, err: err}
}
