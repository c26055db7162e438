package pools

import (
	"context"
	"fmt"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/procwatch"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/pools/cpython"
)

// runCPython runs a py-* model on a real CPython, with the loopback server its http
// steps fetch from.
func runCPython(ctx context.Context, spec experiment.Spec, rec *timeline.Recorder) error {
	var url string
	if spec.Tasks.HasHTTP() {
		web, err := startSlowServer()
		if err != nil {
			return fmt.Errorf("http: starting the loopback server: %w", err)
		}
		defer web.stop()
		url = web.url
	}
	rec.SetNote(procwatch.Note())
	return cpython.Run(ctx, spec, rec, url)
}
