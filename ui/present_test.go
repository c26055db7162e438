package ui

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/coreography/coreography/ui/common"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// threeRunLesson compares three runs, two of them process pools of two workers, as
// price-of-processes does.
const threeRunLesson = "---\nid: three\ntitle: Three runs\nminutes: 1\nsummary: Three runs on one axis.\n---\n# Step\n\n" +
	"Ten thousand tiny tasks, first on one thread, then on two processes, one task per message, then a hundred per message.\n\n" +
	"```experiment\nname: one thread\nmodel: serial\ntasks: 40*cpu(2ms)\ncompare:\n" +
	"  - name: chunk 1\n    model: processes\n    workers: 2\n    chunk-size: 1\n" +
	"  - name: chunk 10\n    model: processes\n    workers: 2\n    chunk-size: 10\n```\n\n" +
	"```predict\nquestion: Two processes compared with one thread?\nchoices: [slower, about the same, faster]\nanswer: faster\n```\n\n" +
	"One thread took {{run1.wall}}.\n"

// TestPresentKeepsWorkerLanes: on a projector at 80×24, and at 80×24 and 100×30
// without --present, a three-run comparison keeps both worker lanes of each
// two-worker pool after the run; core lanes give way, and the legend counts them.
func TestPresentKeepsWorkerLanes(t *testing.T) {
	l := uitest.Lesson(t, threeRunLesson)
	var out strings.Builder
	for _, size := range []struct {
		w, h    int
		present bool
	}{{80, 24, true}, {80, 24, false}, {100, 30, true}} {
		name := fmt.Sprintf("%dx%d present %v", size.w, size.h, size.present)
		c := uitest.Common(&uitest.Runner{})
		c.Present = size.present
		p := newLessonPlayer(c, l, 0, nil)
		tm := teatest.NewTestModel(t, &harness{c: c, s: p}, teatest.WithInitialTermSize(size.w, size.h),
			teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
		tm.Type("3r")
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("right")) },
			teatest.WithDuration(5*time.Second))
		tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
		tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
		view := uitest.Plain(p.View())
		uitest.CheckWidth(t, p.View(), size.w)
		if n := common.LineCount(p.View()); n > size.h {
			t.Errorf("%s: %d lines", name, n)
		}
		_, second, _ := strings.Cut(view, "chunk 1:")
		_, third, _ := strings.Cut(second, "chunk 10:")
		for run, lanes := range map[string]string{"chunk 1": second[:max(len(second)-len(third), 0)], "chunk 10": third} {
			if !strings.Contains(lanes, "w1 5000") || !strings.Contains(lanes, "w2 5001") { // "worker 1 · pid 5000", compacted under 120 columns
				t.Errorf("%s: run %q lost a worker lane:\n%s", name, run, view)
			}
		}
		if !strings.Contains(view, "lanes · v") && strings.Count(view, "core 0") < 3 {
			t.Errorf("%s: core lanes hidden without a marker:\n%s", name, view)
		}
		if size.present && size.w == 80 {
			out.WriteString(name + ":\n" + view + "\n")
		}
	}
	golden.RequireEqual(t, out.String())
}
