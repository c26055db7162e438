package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/lessons"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// TestProgressIsSavedByACommand: opening a lesson and moving on mark steps seen, but
// Update writes no file: the commands it returns do, and a failure to write comes
// back as a notice.
func TestProgressIsSavedByACommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	prog, err := lessons.LoadProgress(path)
	if err != nil {
		t.Fatal(err)
	}
	p := newLessonPlayer(uitest.Common(&uitest.Runner{}), uitest.Lesson(t, twoStepLesson), 0, newProgressWriter(prog))
	p.SetSize(80, 24)
	saveStep0 := p.Init()
	if _, err := os.Stat(path); err == nil || saveStep0 == nil {
		t.Fatalf("opening the lesson wrote progress itself, or returned nothing to write it (%v)", err)
	}
	p.Update(saveStep0())
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("Init's command did not write progress: %v", err)
	}
	before, _ := os.ReadFile(path)
	saveStep1 := p.Update(uitest.Key("n"))
	if after, _ := os.ReadFile(path); string(after) != string(before) || saveStep1 == nil {
		t.Fatal("moving on wrote progress in Update, or returned nothing to write it")
	}
	p.Update(saveStep1())
	if _, step, ok := lessonsResume(t, path); !ok || step != 1 {
		t.Errorf("after its command, progress resumes at step %d (%v), want 1", step, ok)
	}
	if p.Update(tea.KeyPressMsg{Code: 'x', Text: "x"}) != nil {
		t.Error("a key that changes nothing saves progress all the same")
	}
	p.Update(progressSavedMsg{err: os.ErrPermission})
	if view := uitest.Plain(p.View()); !strings.Contains(view, "progress not saved") {
		t.Errorf("a failed save is not shown:\n%s", view)
	}
}

// lessonsResume is where progress saved at path resumes.
func lessonsResume(t *testing.T, path string) (string, int, bool) {
	t.Helper()
	prog, err := lessons.LoadProgress(path)
	if err != nil {
		t.Fatal(err)
	}
	return prog.Resume()
}

// TestProgressFlushedAtShutdown: what a command had no time to write before the
// program ended, Shutdown writes; a command that runs after that writes nothing.
func TestProgressFlushedAtShutdown(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	prog, err := lessons.LoadProgress(path)
	if err != nil {
		t.Fatal(err)
	}
	app := NewApp(AppOptions{Runner: &uitest.Runner{}, Lesson: uitest.Lesson(t, twoStepLesson), Progress: prog})
	late := app.Init() // writes that step 0 was seen, if it ever runs
	app.Shutdown()
	if _, step, ok := lessonsResume(t, path); !ok || step != 0 {
		t.Fatalf("Shutdown did not write the progress no command wrote: resumes at %d (%v)", step, ok)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if batch, ok := late().(tea.BatchMsg); ok {
		for _, cmd := range batch {
			cmd()
		}
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("a command run after Shutdown wrote progress again")
	}
}
