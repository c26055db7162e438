package ui

import (
	"fmt"
	"image/color"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// backgrounds are what a terminal may answer when the app asks for its background.
var backgrounds = []struct {
	name string
	bg   color.Color
}{{"light", color.White}, {"dark", color.Black}}

// themeScreens open each screen and bring it to a state that draws a timeline where
// there is one; until is text the frame shows once it is there.
func themeScreens(t *testing.T) []struct {
	name  string
	opt   func() AppOptions
	until string
	keys  []string
} {
	cat, prog := testCatalog(t)
	lesson := goldenLesson(t, cat)
	trace := uitest.Trace(t, experiment.GIL, 2, "4*cpu(20ms)")
	lab := experiment.Spec{Model: experiment.GIL, Workers: 2, Tasks: uitest.Tasks(t, "8*cpu(100ms)")}
	return []struct {
		name  string
		opt   func() AppOptions
		until string
		keys  []string
	}{
		{"home", func() AppOptions { return AppOptions{Runner: &uitest.Runner{}, Catalog: cat, Progress: prog} }, "Lab: your own", nil},
		{"player", func() AppOptions {
			return AppOptions{Runner: &uitest.Runner{}, Catalog: cat, Progress: prog, Lesson: lesson}
		}, "measured:", []string{"n", "2", "r"}},
		{"lab", func() AppOptions {
			return AppOptions{Runner: &uitest.Runner{}, Catalog: cat, Progress: prog, Lab: true, LabSpec: lab}
		}, "recent runs", []string{"r"}},
		{"replay", func() AppOptions { return AppOptions{Catalog: cat, Progress: prog, Replay: trace} }, "done in", nil},
	}
}

// TestThemeGolden draws every screen in full colour after the terminal says its
// background is light or dark. The app starts dark, so the light goldens show that a
// theme change reaches every timeline already drawn: a painter made before it once
// kept the dark palette (a lab panel stayed #5fd75f instead of #008700).
func TestThemeGolden(t *testing.T) {
	for _, bg := range backgrounds {
		for _, sc := range themeScreens(t) {
			t.Run(bg.name+"/"+sc.name, func(t *testing.T) {
				app := NewApp(sc.opt())
				frame := driveTheme(t, app, 80, 24, sc.until, bg.bg, sc.keys...)
				checkFrame(t, ansi.Strip(frame), 80, 24)
				golden.RequireEqual(t, frame)
			})
		}
	}
}

// TestThemeChangeRepaintsTimelines checks the colours themselves: after a light
// background, no timeline cell keeps a dark-palette colour.
func TestThemeChangeRepaintsTimelines(t *testing.T) {
	light, dark := common.NewStyles(common.Theme{Dark: false}), common.NewStyles(common.Theme{Dark: true})
	running := func(s *common.Styles) string {
		pre, _, _ := strings.Cut(s.State[timeline.Running].Render("X"), "X")
		return pre
	}
	for _, sc := range themeScreens(t)[1:] {
		t.Run(sc.name, func(t *testing.T) {
			frame := driveTheme(t, NewApp(sc.opt()), 80, 24, sc.until, color.White, sc.keys...)
			if !strings.Contains(frame, running(light)) {
				t.Errorf("no cell in the light palette's running colour %q", running(light))
			}
			if strings.Contains(frame, running(dark)) {
				t.Errorf("a cell kept the dark palette's running colour %q", running(dark))
			}
		})
	}
}

// driveTheme is drive in full colour: it sends keys, waits until the frame shows
// until, then tells the app the terminal's background is bg and returns the next
// frame with its escape codes (the app's own CPU figure masked).
func driveTheme(t *testing.T, app *App, w, h int, until string, bg color.Color, keys ...string) string {
	t.Helper()
	tm := teatest.NewTestModel(t, framed{app},
		teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.TrueColor)))
	for _, k := range keys {
		tm.Send(uitest.Key(k))
	}
	waitFrame(t, tm, fmt.Sprintf("%q", until), func(f string) bool { return strings.Contains(ansi.Strip(f), until) })
	tm.Send(tea.BackgroundColorMsg{Color: bg})
	ch := make(chan string, 1)
	tm.Send(frameRequest(ch))
	frame := ownCPU.ReplaceAllString(<-ch, "  ${1}N%")
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	return frame
}
