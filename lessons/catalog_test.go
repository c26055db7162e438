package lessons

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every built-in lesson parses cleanly and meets the curriculum's bar: at least three
// steps, an experiment and a prediction a run can judge.
func TestBuiltinsAreSound(t *testing.T) {
	built, _, errs := builtins()
	for _, err := range errs {
		t.Error(err)
	}
	for _, l := range built {
		exps, judged := 0, 0
		for _, st := range l.Steps {
			if st.Experiment != nil {
				exps++
			}
			if st.Predict != nil && st.Predict.Judged() {
				judged++
			}
		}
		if len(l.Steps) < 3 || exps < 1 || judged < 1 {
			t.Errorf("%s: %d steps, %d experiments, %d judged predictions; want at least 3, 1, 1", l.Path, len(l.Steps), exps, judged)
		}
		if l.Path != BuiltinPrefix+l.ID+".md" {
			t.Errorf("%s: a built-in's file should be named after its id %q", l.Path, l.ID)
		}
	}
}

func writeLesson(t *testing.T, dir, name, id string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	src := strings.Replace(front, "id: demo", "id: "+id, 1) + "Some text.\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCatalog(t *testing.T) {
	dir := t.TempDir()
	writeLesson(t, dir, "mine.md", "my-lesson")
	writeLesson(t, dir, "clash.md", "gil")
	os.WriteFile(filepath.Join(dir, "broken.md"), []byte("# no front matter\n"), 0o644)
	c, errs := LoadCatalog(dir)
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Error())
	}
	all := strings.Join(msgs, "\n")
	if !strings.Contains(all, "broken.md:1:1:") || !strings.Contains(all, `clash.md:2:5: id "gil" is already used by builtin:gil.md`) {
		t.Errorf("errors:\n%s", all)
	}
	ls := c.Lessons()
	if len(ls) < 2 || ls[len(ls)-1].ID != "my-lesson" {
		t.Fatalf("user lessons come last: %v", ids(ls))
	}
	if l, err := c.Find("gil"); err != nil || l.Path != "builtin:gil.md" {
		t.Errorf("Find(gil) = %v, %v", l, err)
	}
	path := writeLesson(t, t.TempDir(), "other.md", "by-path")
	if l, err := c.Find(path); err != nil || l.ID != "by-path" {
		t.Errorf("Find(path) = %v, %v", l, err)
	}
	if _, err := c.Find("gli"); err == nil || !strings.Contains(err.Error(), `did you mean "gil"?`) {
		t.Errorf("Find(gli) error = %v", err)
	}
	if _, err := c.Find(filepath.Join(dir, "broken.md")); err == nil || !strings.Contains(err.Error(), "broken.md:1:1:") {
		t.Errorf("Find(broken) error = %v", err)
	}
}

func ids(ls []*Lesson) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.ID)
	}
	return out
}

func TestCheckDuplicates(t *testing.T) {
	dir := t.TempDir()
	a := writeLesson(t, dir, "a.md", "twin")
	b := writeLesson(t, dir, "b.md", "twin")
	c := writeLesson(t, dir, "c.md", "gil")
	errs := Check([]string{a, b, c, filepath.Join(dir, "missing.md")})
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Error())
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{
		b + `:2:5: duplicate id "twin": also used by ` + a + ":2:5",
		c + `:2:5: id "gil" is already a built-in lesson`,
		"missing.md: cannot read: no such file or directory",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("want %q in:\n%s", want, all)
		}
	}
	// The built-ins' own source files are no duplicates of themselves.
	files, _ := filepath.Glob("../assets/lessons/*.md")
	if errs := Check(files); len(files) == 0 || len(errs) > 0 {
		t.Errorf("checking the built-in sources: %d files, %v", len(files), errs)
	}
}
