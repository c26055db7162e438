package ui

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/coreography/coreography/lessons"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// sizes are the terminal sizes every golden is taken at: the smallest supported and
// a roomy one.
var sizes = []struct {
	name string
	w, h int
}{{"80x24", 80, 24}, {"120x40", 120, 40}}

// testCatalog is the built-in lessons plus testdata/lessons, with progress kept in a
// temporary file so goldens never see the developer's own.
func testCatalog(t *testing.T) (*lessons.Catalog, *lessons.Progress) {
	t.Helper()
	cat, errs := lessons.LoadCatalog(filepath.Join("testdata", "lessons"))
	for _, err := range errs {
		t.Fatalf("test catalog: %v", err)
	}
	prog, err := lessons.LoadProgress(filepath.Join(t.TempDir(), "progress.json"))
	if err != nil {
		t.Fatal(err)
	}
	return cat, prog
}

// drive runs the app in a test program at a fixed size under the ASCII colour profile,
// sends keys (one string per key press; "enter", "right" by name), waits until the
// frame shows until, quits, and returns that frame without colour.
func drive(t *testing.T, app *App, w, h int, until string, keys ...string) string {
	t.Helper()
	t.Cleanup(func() { app.Shutdown() }) // before the progress file's directory goes
	tm := teatest.NewTestModel(t, framed{app},
		teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	for _, k := range keys {
		tm.Send(uitest.Key(k))
	}
	frame := waitFrame(t, tm, fmt.Sprintf("%q", until), func(f string) bool { return strings.Contains(ansi.Strip(f), until) })
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	return frame
}

// waitFrame asks for frames until ok holds for one, and returns it (with its ASCII
// styles), failing the test after 5 s.
func waitFrame(t *testing.T, tm *teatest.TestModel, what string, ok func(frame string) bool) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		ch := make(chan string, 1)
		tm.Send(frameRequest(ch))
		frame := asciiFrame(<-ch)
		if ok(frame) {
			return frame
		}
		if time.Now().After(deadline) {
			t.Fatalf("the frame never showed %s; the last one:\n%s", what, ansi.Strip(frame))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// frameRequest asks the program under test for its current frame, read in the
// program's own goroutine so the test never races the model.
type frameRequest chan string

// framed is the app with a way for tests to read its frame.
type framed struct{ *App }

func (f framed) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if req, ok := msg.(frameRequest); ok {
		req <- f.App.View().Content
		return f, nil
	}
	_, cmd := f.App.Update(msg)
	return f, cmd
}

// asciiFrame downsamples a frame to the ASCII profile (text attributes, no colour)
// and masks the one live figure on it, the app's own CPU use, so goldens are stable.
func asciiFrame(frame string) string {
	var b bytes.Buffer
	w := colorprofile.NewWriter(&b, nil)
	w.Profile = colorprofile.Ascii
	w.WriteString(frame)
	// The right-aligned status moves with the figure's digits: mask both.
	return ownCPU.ReplaceAllString(b.String(), "  ${1}N%")
}

// ownCPU is the observer's "ui cpu 12%" (the app's own CPU use, measured live) and
// the padding that right-aligns it.
var ownCPU = regexp.MustCompile(` {2,}((?:\x1b\[[0-9;]*m)*[^\n]*?ui cpu )[0-9]+%`)

// checkFrame fails when a frame does not fit its terminal.
func checkFrame(t *testing.T, frame string, w, h int) {
	t.Helper()
	lines := strings.Split(frame, "\n")
	if len(lines) != h {
		t.Errorf("frame has %d lines, want exactly %d", len(lines), h)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("line %d is %d cells wide, the terminal %d: %q", i+1, n, w, ansi.Strip(l))
		}
	}
}

func TestHomeGolden(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			cat, prog := testCatalog(t)
			app := NewApp(AppOptions{Runner: &uitest.Runner{}, Catalog: cat, Progress: prog})
			frame := drive(t, app, sz.w, sz.h, "Lab: your own experiment", "down")
			checkFrame(t, frame, sz.w, sz.h)
			golden.RequireEqual(t, frame)
		})
	}
}

func TestHomeFilterGolden(t *testing.T) {
	cat, prog := testCatalog(t)
	app := NewApp(AppOptions{Runner: &uitest.Runner{}, Catalog: cat, Progress: prog})
	frame := drive(t, app, 80, 24, "/ golden ", "g", "o", "l", "d", "e", "n")
	checkFrame(t, frame, 80, 24)
	golden.RequireEqual(t, frame)
}

func goldenLesson(t *testing.T, cat *lessons.Catalog) *lessons.Lesson {
	t.Helper()
	l, err := cat.Find("golden-gil")
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestPlayerGolden(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name+"/asking", func(t *testing.T) {
			cat, prog := testCatalog(t)
			app := NewApp(AppOptions{Runner: &uitest.Runner{}, Catalog: cat, Progress: prog, Lesson: goldenLesson(t, cat)})
			frame := drive(t, app, sz.w, sz.h, "step 2/3", "n", "r")
			checkFrame(t, frame, sz.w, sz.h)
			golden.RequireEqual(t, frame)
		})
		t.Run(sz.name+"/judged", func(t *testing.T) {
			cat, prog := testCatalog(t)
			app := NewApp(AppOptions{Runner: &uitest.Runner{}, Catalog: cat, Progress: prog, Lesson: goldenLesson(t, cat)})
			frame := drive(t, app, sz.w, sz.h, "measured:", "n", "2", "r")
			checkFrame(t, frame, sz.w, sz.h)
			golden.RequireEqual(t, frame)
		})
	}
}
