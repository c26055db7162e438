// Package reference owns a lesson's reference runs: traces of its judged runs,
// recorded on a quiet machine and shipped beside the lesson, so a learner whose
// machine stays busy can still see, and be judged on, what the run looks like
// undisturbed.
package reference

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/lessons"
)

// Root is where the reference runs live in the assets' file system: Root/<lesson id>/.
const Root = "lessons/reference"

// aboutFile labels a lesson's reference runs: where and when they were recorded.
const aboutFile = "about.json"

// maxTrace bounds one reference trace once decompressed: ten thousand coroutines
// take a few megabytes.
const maxTrace = 32 << 20

// About says where and when a lesson's reference runs were recorded.
type About struct {
	Recorded time.Time `json:"recorded"` // when, UTC
	Machine  string    `json:"machine"`  // where: "2-vCPU KVM VM, Intel Xeon"
	Load     float64   `json:"load"`     // the 1-minute load average when it began
	Python   string    `json:"python,omitempty"`
	// Runs names the spec each trace file was recorded from, as Spec.String spells it.
	Runs map[string]string `json:"runs"`
}

// Label is how the screen names a reference run: "recorded on a 2-vCPU KVM VM,
// Intel Xeon, 2026-12-07 (load 0.3)".
func (a About) Label() string {
	return fmt.Sprintf("recorded on a %s, %s (load %.1f)", a.Machine, a.Recorded.Format("2006-01-02"), a.Load)
}

// FileName is the trace file of a step's run, both counted from 1 as play counts them:
// Chrome trace JSON, gzipped (a run of ten thousand tasks is megabytes of JSON).
func FileName(step, run int) string { return fmt.Sprintf("step%d-run%d.json.gz", step, run) }

// Dir is the directory of a lesson's reference runs in the assets' file system.
func Dir(lessonID string) string { return path.Join(Root, lessonID) }

// Wanted reports whether a run of a step needs a reference run: a real run of a step
// that asks a prediction, which is what a busy machine can leave unjudged. Runs in
// the model machine are never disturbed.
func Wanted(st lessons.Step, spec experiment.Spec) bool {
	return st.Predict != nil && !spec.Sim
}

// Set is one lesson's reference runs.
type Set struct {
	About About
	fsys  fs.FS
	dir   string
}

// Open reads the label of lesson id's reference runs from fsys, laid out as the
// assets are (Root/<id>/).
func Open(fsys fs.FS, id string) (*Set, error) { return open(fsys, Dir(id)) }

// OpenIn is Open for lessons kept in directory lessonsDir of fsys.
func OpenIn(fsys fs.FS, lessonsDir, id string) (*Set, error) {
	return open(fsys, path.Join(lessonsDir, "reference", id))
}

func open(fsys fs.FS, dir string) (*Set, error) {
	data, err := fs.ReadFile(fsys, path.Join(dir, aboutFile))
	if err != nil {
		return nil, fmt.Errorf("no reference runs: %w", err)
	}
	s := &Set{fsys: fsys, dir: dir}
	if err := json.Unmarshal(data, &s.About); err != nil || s.About.Machine == "" || s.About.Recorded.IsZero() {
		return nil, fmt.Errorf("%s: not a label of reference runs (recorded, machine): %v", path.Join(dir, aboutFile), err)
	}
	return s, nil
}

// Trace is the reference run of a step's run.
func (s *Set) Trace(step, run int) (*timeline.Trace, error) {
	name := path.Join(s.dir, FileName(step, run))
	f, err := s.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	t, err := timeline.ReadChrome(&limitedReader{r: z, left: maxTrace})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return t, nil
}

// Matches checks that the trace of a step's run was recorded from spec: the spec
// the label names for it, and a trace of the same model, workers and tasks.
func (s *Set) Matches(step, run int, t *timeline.Trace, spec experiment.Spec) error {
	var errs []error
	if got, want := s.About.Runs[FileName(step, run)], spec.String(); got != want {
		errs = append(errs, fmt.Errorf("recorded from %q, the lesson runs %q", got, want))
	}
	want := spec.Meta()
	if t.Model != want.Model || t.Workers != want.Workers || t.Tasks != want.Tasks {
		errs = append(errs, fmt.Errorf("its trace ran %s ×%d on %d tasks, the lesson runs %s ×%d on %d",
			t.Model, t.Workers, t.Tasks, want.Model, want.Workers, want.Tasks))
	}
	return errors.Join(errs...)
}

// Check reports, for a lesson, every judged run without a reference run in fsys or
// whose reference run does not match its spec. A lesson with no reference runs at
// all is reported once.
func Check(fsys fs.FS, l *lessons.Lesson) []error { return CheckIn(fsys, "lessons", l) }

// CheckIn is Check for lessons kept in directory lessonsDir of fsys (their reference
// runs in lessonsDir/reference/<id>/).
func CheckIn(fsys fs.FS, lessonsDir string, l *lessons.Lesson) []error {
	s, err := OpenIn(fsys, lessonsDir, l.ID)
	if err != nil {
		return []error{fmt.Errorf("lesson %s: %w", l.ID, err)}
	}
	var errs []error
	for i, st := range l.Steps {
		if st.Experiment == nil {
			continue
		}
		for j, spec := range st.Experiment.Runs {
			if !Wanted(st, spec) {
				continue
			}
			t, err := s.Trace(i+1, j+1)
			if err == nil {
				err = s.Matches(i+1, j+1, t, spec)
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("lesson %s, step %d, run %d: reference run: %w", l.ID, i+1, j+1, err))
			}
		}
	}
	return errs
}

// limitedReader fails past left bytes, where io.LimitReader would end quietly and
// leave a truncated trace to be read as a short one.
type limitedReader struct {
	r    io.Reader
	left int64
}

func (l *limitedReader) Read(b []byte) (int, error) {
	if l.left <= 0 {
		return 0, fmt.Errorf("more than %d bytes of trace", maxTrace)
	}
	n, err := l.r.Read(b[:min(int64(len(b)), l.left)])
	l.left -= int64(n)
	return n, err
}

// Write writes t as a reference trace file's content to w.
func Write(w io.Writer, t *timeline.Trace) error {
	z, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err := timeline.WriteChrome(z, t); err != nil {
		return err
	}
	return z.Close()
}
