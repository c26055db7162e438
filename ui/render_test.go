package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// fakeTrace records spec with the fake runner and returns the finished trace.
func fakeTrace(t testing.TB, model experiment.Model, workers int, tasks string) *timeline.Trace {
	t.Helper()
	ts, err := experiment.ParseTasks(tasks)
	if err != nil {
		t.Fatal(err)
	}
	spec := experiment.Spec{Model: model, Workers: workers, Tasks: ts}
	rec := timeline.NewRecorder(spec.Meta())
	if err := (&fakeRunner{}).Run(context.Background(), spec, rec); err != nil {
		t.Fatal(err)
	}
	return rec.Snapshot()
}

func TestRenderRunPrint(t *testing.T) {
	for _, w := range []int{80, 120} {
		out := RenderRun(fakeTrace(t, experiment.GIL, 2, "8*cpu(100ms)"), w)
		t.Log("\n" + out)
		for i, l := range strings.Split(out, "\n") {
			if ansi.StringWidth(l) > w {
				t.Errorf("line %d is %d wide, more than %d: %q", i, ansi.StringWidth(l), w, l)
			}
		}
	}
	t.Log("\n" + RenderRun(fakeTrace(t, experiment.Processes, 2, "6*cpu(30ms)"), 80))
}
