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
