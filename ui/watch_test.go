package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/ui/internal/uitest"
)

// The watch screen starts its one run at once, and o shows the end of the command's
// log, read by a command (View reads no file), again while it is shown.
func TestWatchScreenRunsAndShowsTheLog(t *testing.T) {
	log := filepath.Join(t.TempDir(), "watch.log")
	if err := os.WriteFile(log, []byte("first\nsecond\nlast line\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	w := NewWatch(uitest.Common(&uitest.Runner{}), WatchOptions{Command: "python3 demo.py", LogPath: log})
	w.SetSize(80, 24)
	if w.Init() == nil || !w.panel.Busy() {
		t.Fatalf("the watch screen did not start its run")
	}
	read := w.Update(tea.KeyPressMsg{Code: 'o', Text: "o"})
	if read == nil {
		t.Fatal("o does not read the log")
	}
	if view := uitest.Plain(w.View()); strings.Contains(view, "last line") {
		t.Errorf("the log was read before its command ran:\n%s", view)
	}
	again := w.Update(read())
	if err := os.Remove(log); err != nil {
		t.Fatal(err)
	}
	view := uitest.Plain(w.View())
	if !strings.Contains(view, "output of python3 demo.py") || !strings.Contains(view, "last line") {
		t.Errorf("o does not show the log:\n%s", view)
	}
	if again == nil {
		t.Error("the log is not read again while it is shown")
	}
	w.Update(tea.KeyPressMsg{Code: 'o', Text: "o"})
	if strings.Contains(uitest.Plain(w.View()), "last line") {
		t.Errorf("a second o does not go back to the timeline")
	}
	if w.Update(again()) != nil {
		t.Error("a read for a log no longer shown keeps reading")
	}
	w.Stop()
}

// The command's output is the program's: its escape sequences never reach the
// terminal. A program attached to (-p) has no output of the app's, and no o.
func TestWatchScreenStripsTheProgramsOutput(t *testing.T) {
	log := filepath.Join(t.TempDir(), "watch.log")
	if err := os.WriteFile(log, []byte("\x1b]0;pwned\x07\x1b[2Jvisible\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	w := NewWatch(uitest.Common(&uitest.Runner{}), WatchOptions{Command: "evil", LogPath: log})
	w.SetSize(80, 24)
	w.Init()
	w.Update(w.Update(tea.KeyPressMsg{Code: 'o', Text: "o"})())
	if view := w.View(); !strings.Contains(view, "visible") || strings.ContainsAny(view, "\x1b\x07") {
		t.Errorf("the log is shown with its escapes: %q", view)
	}
	w.Stop()
	attached := NewWatch(uitest.Common(&uitest.Runner{}), WatchOptions{Command: "pid 42"})
	if attached.Update(tea.KeyPressMsg{Code: 'o', Text: "o"}) != nil || attached.showLog {
		t.Error("o shows a log for a program attached to")
	}
}
