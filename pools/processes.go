package pools

import (
	"context"
	"errors"

	"github.com/coreography/coreography/experiment"
	"github.com/coreography/coreography/timeline"
)

// runProcesses runs spec on worker subprocesses. (STUB: the processes helper replaces this file.)
func runProcesses(ctx context.Context, spec experiment.Spec, rec *timeline.Recorder) error {
	return errors.New("processes: not built yet")
}
