package lessons

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestProgressSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "progress.json")
	p, err := LoadProgress(path)
	if err != nil {
		t.Fatal(err)
	}
	l := &Lesson{ID: "gil", Steps: make([]Step, 3)}
	if p.Status(l) != New {
		t.Errorf("fresh status = %v", p.Status(l))
	}
	if _, _, ok := p.Resume(); ok {
		t.Error("nothing to resume yet")
	}
	p.Seen("gil", 0)
	p.Seen("gil", 1)
	p.Predicted("gil", 1, "about the same", true)
	if err := p.Save(); err != nil {
		t.Fatal(err)
	}
	q, err := LoadProgress(path)
	if err != nil {
		t.Fatal(err)
	}
	if q.Status(l) != InProgress {
		t.Errorf("status after restart = %v", q.Status(l))
	}
	if id, step, ok := q.Resume(); !ok || id != "gil" || step != 1 {
		t.Errorf("Resume = %q %d %v", id, step, ok)
	}
	if c, right, ok := q.Prediction("gil", 1); !ok || c != "about the same" || !right {
		t.Errorf("Prediction = %q %v %v", c, right, ok)
	}
	q.Seen("gil", 2)
	if q.Status(l) != Done {
		t.Errorf("status = %v, want done", q.Status(l))
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("a save should leave only the progress file, found %d entries", len(entries))
	}
}

func TestProgressCorruptIsSetAside(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "progress.json")
	os.WriteFile(path, []byte("{not json"), 0o644)
	p, err := LoadProgress(path)
	if err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Fatalf("want a corrupt-file error, got %v", err)
	}
	if p == nil || p.Status(&Lesson{ID: "gil", Steps: make([]Step, 1)}) != New {
		t.Fatal("a corrupt file still gives an empty, usable progress")
	}
	aside, _ := filepath.Glob(path + ".corrupt-*")
	if len(aside) != 1 {
		t.Errorf("corrupt file should be kept aside, found %v", aside)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("the corrupt file should no longer be in the way")
	}
	p.Seen("gil", 0)
	if err := p.Save(); err != nil {
		t.Fatal(err)
	}
}

func TestDefaultPathsFollowXDG(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "/cfg")
	t.Setenv("XDG_STATE_HOME", "/state")
	if got := DefaultUserDir(); got != "/cfg/coreography/lessons" {
		t.Errorf("DefaultUserDir = %q", got)
	}
	if got := DefaultProgressPath(); got != "/state/coreography/progress.json" {
		t.Errorf("DefaultProgressPath = %q", got)
	}
	t.Setenv("XDG_STATE_HOME", "relative/ignored")
	t.Setenv("HOME", "/home/learner")
	if got := DefaultProgressPath(); got != "/home/learner/.local/state/coreography/progress.json" {
		t.Errorf("DefaultProgressPath = %q", got)
	}
}

// Two instances of the app that save in turn keep both's updates.
func TestProgressTwoInstancesMerge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	a, _ := LoadProgress(path)
	b, _ := LoadProgress(path)
	a.Seen("gil", 0)
	a.Predicted("gil", 1, "about the same", true)
	if err := a.Save(); err != nil {
		t.Fatal(err)
	}
	b.Seen("gil", 2)
	b.Seen("io-bound", 0)
	if err := b.Save(); err != nil {
		t.Fatal(err)
	}
	c, err := LoadProgress(path)
	if err != nil {
		t.Fatal(err)
	}
	if st := c.Status(&Lesson{ID: "gil", Steps: make([]Step, 3)}); st != InProgress {
		t.Errorf("gil: %v", st)
	}
	if _, _, ok := c.Prediction("gil", 1); !ok {
		t.Error("a's prediction was lost when b saved")
	}
	if st := c.Status(&Lesson{ID: "io-bound", Steps: make([]Step, 1)}); st != Done {
		t.Errorf("io-bound: %v", st)
	}
	lp := c.data.Lessons["gil"]
	if len(lp.Seen) != 2 {
		t.Errorf("gil seen %v, want steps 0 and 2", lp.Seen)
	}
}

// Two corruptions in the same second are both kept.
func TestProgressCorruptTwiceKeepsBoth(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	for _, junk := range []string{"{one", "{two"} {
		os.WriteFile(path, []byte(junk), 0o644)
		if _, err := LoadProgress(path); err == nil {
			t.Fatal("no error for a corrupt file")
		}
	}
	aside, _ := filepath.Glob(path + ".corrupt-*")
	if len(aside) != 2 {
		t.Errorf("want both corrupt files kept, found %v", aside)
	}
}

// With no HOME, nothing is written to a folder other users share.
func TestNoHomeNoSharedState(t *testing.T) {
	for _, env := range []string{"HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"} {
		t.Setenv(env, "")
	}
	if d, p := DefaultUserDir(), DefaultProgressPath(); d != "" || p != "" {
		t.Errorf("with no HOME: lessons %q, progress %q; want neither", d, p)
	}
	prog, err := LoadProgress("")
	if err == nil || !strings.Contains(err.Error(), "HOME is not set") {
		t.Errorf("LoadProgress: %v", err)
	}
	prog.Seen("gil", 0)
	if err := prog.Save(); err == nil {
		t.Error("Save with no HOME did not refuse")
	}
	cat, errs := LoadCatalog("")
	if len(cat.Lessons()) == 0 || len(errs) == 0 {
		t.Errorf("LoadCatalog with no HOME: %d lessons, errs %v", len(cat.Lessons()), errs)
	}
}

// A lesson keeps its score: the predictions a run proved right, of those judged, the
// latest answer of a step counting once; steps without a prediction never count.
func TestProgressKeepsTheScore(t *testing.T) {
	p, err := LoadProgress(filepath.Join(t.TempDir(), "progress.json"))
	if err != nil {
		t.Fatal(err)
	}
	l, errs := Parse("demo.md", []byte(front+goodBody))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if right, judged := p.Score(l); right != 0 || judged != 0 {
		t.Errorf("before any prediction: %d of %d", right, judged)
	}
	p.Predicted("demo", 0, "no", false)
	p.Predicted("demo", 0, "yes", true)
	p.Predicted("demo", 1, "yes", true) // step 2 asks nothing
	if right, judged := p.Score(l); right != 1 || judged != 1 {
		t.Errorf("score %d of %d, want 1 of 1", right, judged)
	}
}
