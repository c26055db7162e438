package lessonwatch

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coreography/coreography/lessons"
)

const lesson = "---\nid: w\ntitle: W\nminutes: 1\nsummary: s\n---\n%s\n"

type reload struct {
	l    *lessons.Lesson
	errs []error
}

// Saving in place, saving broken, and saving by renaming a new file over the old one
// (as editors do) each read the lesson again.
func TestWatchReloads(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "my.md")
	write := func(body string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(strings.Replace(lesson, "%s", body, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("First text.")
	got := make(chan reload, 16)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := Watch(ctx, path, func(l *lessons.Lesson, errs []error) { got <- reload{l, errs} }); err != nil {
		t.Fatal(err)
	}
	next := func() reload {
		t.Helper()
		select {
		case r := <-got:
			return r
		case <-time.After(5 * time.Second):
			t.Fatal("no reload within 5 s of a save")
		}
		return reload{}
	}

	write("Second text.")
	if r := next(); r.l == nil || r.l.Steps[0].Text != "Second text." {
		t.Fatalf("after a save: %+v", r)
	}
	write("```predict\nquestion: q\n```")
	r := next()
	if r.l != nil || len(r.errs) == 0 || !strings.HasPrefix(r.errs[0].Error(), path+":7:1:") {
		t.Fatalf("after a broken save: lesson %v, errors %v", r.l, r.errs)
	}
	tmp := filepath.Join(dir, ".my.md.swp")
	if err := os.WriteFile(tmp, []byte(strings.Replace(lesson, "%s", "Fixed text.", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	if r := next(); r.l == nil || r.l.Steps[0].Text != "Fixed text." {
		t.Fatalf("after a rename over the file: %+v", r)
	}
}
