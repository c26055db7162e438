package timeline

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/internal/uitest"
)

func TestRenderRunSaysWhenOthersDisturbedIt(t *testing.T) {
	spec := experiment.Spec{Model: experiment.Threads, Workers: 2, Tasks: experiment.Tasks{Groups: []experiment.Group{{Count: 2, Task: experiment.Task{Steps: []experiment.Step{{Kind: experiment.CPU, D: 100 * time.Millisecond}}}}}}}
	run := &uitest.Disturbing{Inner: &uitest.Runner{}, Disturbed: 1}
	for _, want := range []bool{true, false} {
		rec := timeline.NewRecorder(spec.Meta())
		if err := run.Run(context.Background(), spec, rec); err != nil {
			t.Fatal(err)
		}
		out := RenderRun(rec.Snapshot(), 100)
		if got := strings.Contains(out, "disturbed: other programs took 720 ms of CPU, 60% of 2 cores × 600 ms"); got != want {
			t.Errorf("disturbed note shown %v, want %v:\n%s", got, want, out)
		}
	}
}
