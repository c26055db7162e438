package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/coreography/coreography/assets"
	"github.com/coreography/coreography/internal/reference"
	"github.com/coreography/coreography/internal/safefile"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/internal/undisturbed"
	"github.com/coreography/coreography/lessons"
	"github.com/coreography/coreography/ui/handout"
)

// recordPolicy is how hard recording tries for an undisturbed run: a reference run
// is recorded once, for every learner, so it may wait for a quiet moment.
var recordPolicy = undisturbed.Policy{Tries: 8, Pause: 3 * time.Second}

// referenceCommand records the reference runs of lessons (assets/lessons/reference/make
// runs it): each judged run, undisturbed, as a trace file beside the lesson.
func referenceCommand() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:    "record-reference LESSON...",
		Short:  "Record lessons' reference runs on this (quiet) machine",
		Hidden: true,
		Args:   cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, ids []string) error {
			cat, _ := lessons.LoadCatalog("")
			failed := 0
			for _, id := range ids {
				l, err := cat.Find(id)
				if err != nil {
					return lessonError(err)
				}
				// A lesson that could not be recorded undisturbed leaves its old
				// reference runs; the others are recorded all the same.
				if err := recordLesson(cmd.Context(), cmd.ErrOrStderr(), l, filepath.Join(out, l.ID)); err != nil {
					if cmd.Context().Err() != nil {
						return exitFor(cmd.Context(), err)
					}
					fmt.Fprintln(cmd.ErrOrStderr(), "coreography:", err)
					failed++
				}
			}
			if failed > 0 {
				return &exitError{code: 1, err: fmt.Errorf("%d of %d lessons not recorded", failed, len(ids))}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", filepath.Join("assets", reference.Root), "directory that gets one directory of traces per lesson")
	return cmd
}

// recordLesson records every run of l that wants a reference run into dir, with the
// label saying where and when. A run already recorded from its spec is kept; a run
// that stayed disturbed is not recorded, the others are, and the error names it, so
// the next try records only what is missing.
func recordLesson(ctx context.Context, log io.Writer, l *lessons.Lesson, dir string) error {
	about := reference.About{Recorded: time.Now().UTC().Truncate(time.Minute), Machine: machineName(),
		Load: loadAverage(), Runs: map[string]string{}}
	var old reference.About
	if data, err := os.ReadFile(filepath.Join(dir, "about.json")); err == nil && json.Unmarshal(data, &old) == nil && old.Runs != nil {
		about.Runs = old.Runs
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	engines := newEngines()
	var missing []string
	for i, st := range l.Steps {
		if st.Experiment == nil {
			continue
		}
		for j, spec := range st.Experiment.Runs {
			if !reference.Wanted(st, spec) {
				continue
			}
			name := reference.FileName(i+1, j+1)
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil && about.Runs[name] == spec.String() {
				continue
			}
			res, err := undisturbed.Run(ctx, engines, spec, recordPolicy)
			if err != nil {
				return fmt.Errorf("lesson %s, step %d, run %d: %w", l.ID, i+1, j+1, err)
			}
			if res.Stats.Disturbed {
				missing = append(missing, fmt.Sprintf("step %d, run %d (lost %.0f%%)", i+1, j+1, 100*res.Stats.Lost.Share()))
				continue
			}
			if err := writeReference(filepath.Join(dir, name), res.Trace); err != nil {
				return err
			}
			about.Runs[name] = spec.String()
			fmt.Fprintf(log, "%s step %d run %d: %s, %.3f s\n", l.ID, i+1, j+1, spec, res.Stats.Wall.Seconds())
		}
	}
	data, _ := json.MarshalIndent(about, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, "about.json"), append(data, '\n'), 0o644); err != nil {
		return err
	}
	if len(missing) > 0 {
		return fmt.Errorf("lesson %s: disturbed in every try, not recorded: %s; record again on a quieter machine",
			l.ID, strings.Join(missing, ", "))
	}
	return nil
}

// machineName says what this machine is, for a reference run's label: "2-vCPU VM,
// Intel(R) Xeon(R) Processor".
func machineName() string {
	cpus := fmt.Sprintf("%d-CPU", runtime.NumCPU())
	model := runtime.GOARCH
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := sc.Text()
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
			}
			if strings.HasPrefix(line, "flags") && strings.Contains(line, " hypervisor") {
				cpus = fmt.Sprintf("%d-vCPU VM", runtime.NumCPU())
			}
		}
	}
	return cpus + ", " + model
}

// loadAverage is the one-minute load average, 0 where the system does not say.
func loadAverage() float64 {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	var load float64
	fmt.Sscan(string(data), &load)
	return load
}

// checkReferences checks the reference runs of every lesson file whose directory
// ships them (a reference/ directory beside the lessons, as assets/lessons has): a
// reference run recorded from another spec than the lesson runs now is a problem; a
// judged run with none yet is missing, said apart (recording needs a quiet machine,
// which a change of the lesson's text must not wait for). Files that do not parse are
// lessons.Check's to report.
func checkReferences(files []string) (problems, missing []error) {
	for _, file := range files {
		dir := filepath.Dir(file)
		if st, err := os.Stat(filepath.Join(dir, "reference")); err != nil || !st.IsDir() {
			continue
		}
		src, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		l, perrs := lessons.Parse(file, src)
		if len(perrs) > 0 || l == nil {
			continue
		}
		// The assets' layout: <dir>/reference/<id>/ is lessons/reference/<id>/ of an
		// FS rooted one level up.
		fsys := os.DirFS(filepath.Dir(dir))
		for _, err := range reference.CheckIn(fsys, filepath.Base(dir), l) {
			if errors.Is(err, os.ErrNotExist) {
				missing = append(missing, fmt.Errorf("%s: %w", file, err))
			} else {
				problems = append(problems, fmt.Errorf("%s: %w", file, err))
			}
		}
	}
	return problems, missing
}

// writeReference writes a reference trace file whole or not at all.
func writeReference(path string, t *timeline.Trace) error {
	return safefile.WriteAtomic(path, 0o644, func(w io.Writer) error { return reference.Write(w, t) })
}

// lessonReferences finds l's reference runs: the built-in lessons' in the binary, a
// lesson file's in reference/<id>/ beside it; nil when it has none.
func lessonReferences(l *lessons.Lesson) handout.References {
	var set *reference.Set
	var err error
	if strings.HasPrefix(l.Path, "builtin:") {
		set, err = reference.Open(assets.References, l.ID)
	} else {
		dir := filepath.Dir(l.Path)
		set, err = reference.OpenIn(os.DirFS(filepath.Dir(dir)), filepath.Base(dir), l.ID)
	}
	if err != nil {
		return nil
	}
	return func(step, run int) (*timeline.Trace, string, error) {
		t, err := set.Trace(step, run)
		return t, set.About.Label(), err
	}
}

// builtinReferences finds a built-in lesson's reference run in the binary.
func builtinReferences(id string, step, run int) (*timeline.Trace, string, error) {
	set, err := reference.Open(assets.References, id)
	if err != nil {
		return nil, "", err
	}
	t, err := set.Trace(step, run)
	return t, set.About.Label(), err
}
