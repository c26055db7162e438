package pools

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// A run whose recording reaches the recorder's ceiling ends with ErrTooManyEvents
// instead of growing, in every model.
func TestRunEndsAtRecorderCeiling(t *testing.T) {
	for _, m := range []experiment.Model{experiment.Threads, experiment.GIL, experiment.Asyncio, experiment.Processes} {
		ts, _ := experiment.ParseTasks("100000*[cpu(1us) io(1us)]")
		spec := experiment.Spec{Model: m, Workers: 2, Tasks: ts}
		if m == experiment.Asyncio {
			spec.Workers = 1
		}
		rec := timeline.NewRecorderLimit(spec.Meta(), 5000)
		start := time.Now()
		err := New().Run(context.Background(), spec, rec)
		if !errors.Is(err, timeline.ErrTooManyEvents) {
			t.Errorf("%s: err = %v, want ErrTooManyEvents", m, err)
		}
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("%s: took %s to stop at the ceiling", m, d)
		}
	}
}
