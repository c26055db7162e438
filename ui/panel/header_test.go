package panel

import (
	"strings"
	"testing"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// The app's own CPU and R's speed give way before the run's name is cut: a learner
// needs to know what is running more than what drawing it costs.
func TestHeaderDropsTheExtrasBeforeCuttingTheTitle(t *testing.T) {
	p := NewRunPanel(uitest.Common(&uitest.Runner{}))
	p.SetRuns([]experiment.Spec{{Model: experiment.Processes, Workers: 2, Tasks: uitest.Tasks(t, "16*cpu(150ms), 4*io(20ms)")}})
	p.state = panelDone
	p.obs.ok, p.obs.measured, p.obs.share = true, true, 0.03
	p.speed = 1 // R replays slowed down
	title := p.title()
	for _, tc := range []struct {
		width    int
		observer bool
	}{{140, true}, {len(title) + 12, false}} {
		h := uitest.Plain(p.header(tc.width))
		if !strings.Contains(h, title) {
			t.Errorf("at %d columns the title is cut: %q", tc.width, h)
		}
		if got := strings.Contains(h, "ui cpu 3%"); got != tc.observer {
			t.Errorf("at %d columns the observer's figure shown: %v, want %v: %q", tc.width, got, tc.observer, h)
		}
		if got := strings.Contains(h, "R replays at"); got != tc.observer {
			t.Errorf("at %d columns R's speed shown: %v, want %v: %q", tc.width, got, tc.observer, h)
		}
	}
}
