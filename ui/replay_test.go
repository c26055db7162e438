package ui

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/coreography/coreography/ui/internal/uitest"
)

// press presses each of keys in turn, returning the last one's command.
func press(s screen, keys string) tea.Cmd {
	var last tea.Cmd
	for _, r := range keys {
		last = s.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return last
}

// TestSlowReplayGolden: the lab after a GIL run, replayed at 0.01×: 30 ms around
// the playhead, each 5 ms hand-off many columns wide.
func TestSlowReplayGolden(t *testing.T) {
	lab := ranGILLab(t)
	clock := time.Unix(0, 0)
	lab.c.Now = func() time.Time { return clock }
	tick := press(lab, "sssR")
	var out strings.Builder
	for _, at := range []time.Duration{25 * time.Second, 26 * time.Second} {
		clock = time.Unix(0, 0).Add(at)
		tick = lab.Update(tick()) // the replay's next frame, drawn at the clock's time
		view := lab.View()
		uitest.CheckWidth(t, view, 100)
		out.WriteString("replay at 0.01×, " + at.String() + " in:\n" + uitest.Plain(view) + "\n\n")
	}
	if !strings.Contains(out.String(), "replay 0.01× 250ms") {
		t.Errorf("the header does not say where the replay is:\n%s", out.String())
	}
	golden.RequireEqual(t, out.String())
}

// slowLesson asks for its 80 ms GIL run to be replayed at 0.01× as soon as it ends.
const slowLesson = "---\nid: slow\ntitle: Slow\nminutes: 1\nsummary: A run replayed slowly.\n---\n# Step\n\nText.\n\n" +
	"```experiment\nmodel: gil\nworkers: 2\ntasks: 4*cpu(20ms)\nreplay: 0.01x\n```\n\n" +
	"```predict\nquestion: Faster?\nchoices: [yes, no]\nanswer: no\n```\n"

// TestPlayerReplaysSlowly: a step with replay: 0.01x replays its run at 0.01× as
// soon as it is judged, without a key (the panel's tests check its 30 ms window); at 80×24 and 100×30.
func TestPlayerReplaysSlowly(t *testing.T) {
	l := uitest.Lesson(t, slowLesson)
	for _, size := range []struct{ w, h int }{{100, 30}, {80, 24}} {
		c := uitest.Common(&uitest.Runner{})
		p := newLessonPlayer(c, l, 0, nil)
		tm := teatest.NewTestModel(t, &harness{c: c, s: p}, teatest.WithInitialTermSize(size.w, size.h),
			teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
		tm.Type("2r")
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("replay 0.01×")) },
			teatest.WithDuration(5*time.Second))
		tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
		tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
		if view := uitest.Plain(p.View()); !strings.Contains(view, "right") {
			t.Errorf("%dx%d: the verdict is not on screen during the replay:\n%s", size.w, size.h, view)
		}
		if !slices.ContainsFunc(p.ShortHelp(), func(b key.Binding) bool { return b.Help().Key == "end/G" }) {
			t.Errorf("%dx%d: the help does not say which key skips the replay", size.w, size.h)
		}
		// Once the replay is over, the learner's own speed (1×) is back for R. Pausing
		// and resuming it an hour later draws the frame that finds it over.
		later := time.Now().Add(time.Hour)
		c.Now = func() time.Time { return later }
		p.Update(uitest.Key("space"))
		p.Update(p.Update(uitest.Key("space"))())
		if view := uitest.Plain(p.View()); !strings.Contains(view, "done") || strings.Contains(view, "replay") {
			t.Errorf("%dx%d: after the replay the panel does not say it is done, at the learner's speed:\n%s", size.w, size.h, view)
		}
	}
}
