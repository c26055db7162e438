package lessons

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/coreography/coreography/assets"
	"github.com/coreography/coreography/internal/inputfile"
)

// teachingOrder is the order the built-in lessons are taught in; built-ins not
// listed follow by id, then user lessons by id.
var teachingOrder = []string{
	"eating-and-the-phone", "gil", "true-multicore", "io-bound", "price-of-processes",
	"coroutines", "futures", "convoy", "amdahl", "shared-state", "myths", "choosing",
}

// BuiltinPrefix marks the Path of a lesson embedded in the binary.
const BuiltinPrefix = "builtin:"

// Catalog is every lesson a learner can open: the built-ins and their own.
type Catalog struct {
	lessons []*Lesson
	byID    map[string]*Lesson
}

// DefaultUserDir is where a learner's or teacher's own lessons live:
// $XDG_CONFIG_HOME/coreography/lessons, by default ~/.config/coreography/lessons.
// It is "" when neither XDG_CONFIG_HOME nor HOME is set (see errNoHome).
func DefaultUserDir() string {
	return xdgPath("XDG_CONFIG_HOME", ".config", "coreography", "lessons")
}

// errNoHome explains why no lessons folder or progress file is used: state must not
// land in a folder other users share, such as /tmp.
var errNoHome = errors.New("HOME is not set (nor XDG_CONFIG_HOME, XDG_STATE_HOME): your own lessons and progress are not used; set HOME")

// xdgPath is $env/elem… when $env is an absolute path, else ~/fallback/elem… (the XDG
// base directory rule), or "" when there is no home to put it in.
func xdgPath(env, fallback string, elem ...string) string {
	base := os.Getenv(env)
	if !filepath.IsAbs(base) {
		home, err := os.UserHomeDir()
		if err != nil || !filepath.IsAbs(home) {
			return ""
		}
		base = filepath.Join(home, fallback)
	}
	return filepath.Join(append([]string{base}, elem...)...)
}

// builtins parses the embedded lessons, keeping their source to tell a checked copy
// of a built-in from a different lesson that reuses its id.
func builtins() ([]*Lesson, map[string][]byte, []error) {
	var out []*Lesson
	sources := map[string][]byte{}
	var errs []error
	names, _ := fs.Glob(assets.Lessons, "lessons/*.md")
	for _, name := range names {
		src, err := assets.Lessons.ReadFile(name)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s%s: %w", BuiltinPrefix, path.Base(name), err))
			continue
		}
		l, perrs := Parse(BuiltinPrefix+path.Base(name), src)
		if len(perrs) > 0 {
			errs = append(errs, perrs...)
			continue
		}
		out = append(out, l)
		sources[l.ID] = src
	}
	return out, sources, errs
}

// LoadCatalog reads the built-in lessons and every *.md in userDir ("" means
// DefaultUserDir()). A user file that is broken, or reuses an id, is reported and left
// out; the catalog is usable whatever the errors.
func LoadCatalog(userDir string) (*Catalog, []error) {
	if userDir == "" {
		userDir = DefaultUserDir()
	}
	c := &Catalog{byID: map[string]*Lesson{}}
	built, _, errs := builtins()
	for _, l := range built {
		c.add(l)
	}
	if userDir == "" {
		return c, append(errs, errNoHome)
	}
	files, err := filepath.Glob(filepath.Join(userDir, "*.md"))
	if err != nil {
		errs = append(errs, fmt.Errorf("lessons in %s: %w", userDir, err))
	}
	var user []*Lesson
	for _, f := range files {
		pl, perrs := parseFile(f)
		if len(perrs) > 0 {
			errs = append(errs, perrs...)
			continue
		}
		if other, dup := c.byID[pl.lesson.ID]; dup {
			errs = append(errs, &Error{File: f, Line: pl.idLine, Col: pl.idCol,
				Msg: fmt.Sprintf("id %q is already used by %s; this lesson is left out", pl.lesson.ID, other.Path)})
			continue
		}
		c.add(pl.lesson)
		user = append(user, pl.lesson)
	}
	c.sort(user)
	return c, errs
}

func (c *Catalog) add(l *Lesson) {
	c.lessons = append(c.lessons, l)
	c.byID[l.ID] = l
}

// sort puts built-ins in teaching order, then user lessons by id.
func (c *Catalog) sort(user []*Lesson) {
	rank := func(l *Lesson) int {
		if slices.Contains(user, l) {
			return len(teachingOrder) + 1
		}
		if i := slices.Index(teachingOrder, l.ID); i >= 0 {
			return i
		}
		return len(teachingOrder)
	}
	slices.SortStableFunc(c.lessons, func(a, b *Lesson) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// Lessons lists every lesson in teaching order.
func (c *Catalog) Lessons() []*Lesson { return c.lessons }

// Find returns the lesson with this id, or reads the lesson file at this path. A file
// with problems returns them all, joined, one file:line:col a line.
func (c *Catalog) Find(idOrPath string) (*Lesson, error) {
	if l, ok := c.byID[idOrPath]; ok {
		return l, nil
	}
	if st, err := os.Stat(idOrPath); err == nil && !st.IsDir() {
		pl, errs := parseFile(idOrPath)
		if len(errs) > 0 {
			return nil, errors.Join(errs...)
		}
		return pl.lesson, nil
	}
	ids := make([]string, len(c.lessons))
	for i, l := range c.lessons {
		ids[i] = l.ID
	}
	return nil, notFound(fmt.Sprintf("no lesson with id %q and no such file%s (coreography list shows every lesson)", idOrPath, didYouMean(idOrPath, ids)))
}

// ErrNotFound matches Find's error (errors.Is) when the argument is neither a lesson
// id nor a file: the caller's mistake, where a broken lesson file is the file's.
var ErrNotFound = errors.New("no such lesson")

type notFound string

func (e notFound) Error() string        { return string(e) }
func (e notFound) Is(target error) bool { return target == ErrNotFound }

// MaxFileBytes caps a lesson file: the longest built-in is under 20 KB, and a file is
// refused before it is read, so no lesson can cost more than this much memory to load.
const MaxFileBytes = 1 << 20

// readLesson reads a lesson file: a regular file of at most MaxFileBytes. A FIFO, a
// device or a directory is refused at once, never waited on.
func readLesson(name string) ([]byte, error) {
	src, err := inputfile.ReadFile(name, MaxFileBytes)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read: %w", name, inputCause(err))
	}
	return src, nil
}

func parseFile(name string) (parsed, []error) {
	src, err := readLesson(name)
	if err != nil {
		return parsed{}, []error{err}
	}
	return parse(name, src)
}

// Check reads lesson files as `coreography check` does, reporting every problem in
// each, and ids used twice among them or already used by a different built-in lesson.
func Check(files []string) []error {
	_, builtinSrc, errs := builtins()
	type seen struct {
		file      string
		line, col int
	}
	ids := map[string]seen{}
	for _, f := range files {
		src, err := readLesson(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		pl, perrs := parse(f, src)
		p := &problems{file: f, list: perrs}
		if id := pl.lesson.ID; id != "" {
			if first, dup := ids[id]; dup {
				p.add(pl.idLine, pl.idCol, "duplicate id %q: also used by %s:%d:%d", id, first.file, first.line, first.col)
			} else {
				ids[id] = seen{f, pl.idLine, pl.idCol}
				// A file with a built-in's id is fine when it is that built-in's source.
				if b, isBuiltin := builtinSrc[id]; isBuiltin && !bytes.Equal(b, src) {
					p.add(pl.idLine, pl.idCol, "id %q is already a built-in lesson (%s%s.md): pick another id", id, BuiltinPrefix, id)
				}
			}
		}
		errs = append(errs, p.sorted()...)
	}
	return errs
}

// inputCause drops the file name an *inputfile.Error repeats.
func inputCause(err error) error {
	var ie *inputfile.Error
	if errors.As(err, &ie) {
		return ie.Err
	}
	return pathCause(err)
}

// pathCause drops the path a *fs.PathError repeats, since the caller names the file.
func pathCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Reload reads a lesson file again as an author saves it: the lesson, or every
// problem `coreography check` would report in it (then the lesson is nil).
func Reload(name string) (*Lesson, []error) {
	if errs := Check([]string{name}); len(errs) > 0 {
		return nil, errs
	}
	pl, errs := parseFile(name)
	if len(errs) > 0 {
		return nil, errs
	}
	return pl.lesson, nil
}
