package uitest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
)

// Common is what a screen under test shares: dark styles, the default keys, r to
// run with, and an observer whose figure is the same on every run (no live clock in
// a golden).
func Common(r experiment.Runner) *common.Common {
	return &common.Common{Styles: common.NewStyles(common.Theme{Dark: true}), Keys: common.DefaultKeyMap(), Runner: r,
		CPUMeter: SteadyMeter{}}
}

// SteadyMeter reads no CPU at all, every time.
type SteadyMeter struct{}

// Read says no time has passed.
func (SteadyMeter) Read([]*timeline.Trace) (time.Duration, bool) { return 0, true }

// Tasks parses s, failing the test when it does not parse.
func Tasks(t testing.TB, s string) experiment.Tasks {
	t.Helper()
	ts, err := experiment.ParseTasks(s)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// Trace records spec with the fake Runner and returns the finished trace.
func Trace(t testing.TB, model experiment.Model, workers int, tasks string) *timeline.Trace {
	t.Helper()
	spec := experiment.Spec{Model: model, Workers: workers, Tasks: Tasks(t, tasks)}
	rec := timeline.NewRecorder(spec.Meta())
	if err := (&Runner{}).Run(context.Background(), spec, rec); err != nil {
		t.Fatal(err)
	}
	return rec.Snapshot()
}

// Plain is a screen as an ASCII terminal shows it: no escape codes.
func Plain(s string) string { return ansi.Strip(s) }

// CheckWidth fails the test for every line of view wider than width.
func CheckWidth(t *testing.T, view string, width int) {
	t.Helper()
	for i, l := range strings.Split(view, "\n") {
		if w := ansi.StringWidth(l); w > width {
			t.Errorf("line %d is %d wide, more than %d: %q", i, w, width, Plain(l))
		}
	}
}
