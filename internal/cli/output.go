package cli

import (
	"context"
	"encoding/json"
	"errors"
	"io"

	"github.com/coreography/coreography/internal/experiment"
)

// writeJSON is every command's --json: one indented object, for people reading it as
// much as for scripts.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// errInterrupted is the one message for a run a signal stopped: by the time it is
// printed every worker has ended, which is what the user wants to know.
var errInterrupted = errors.New("interrupted: the run was stopped and its workers ended")

// exitFor is the exit status a run that failed with err ends the command with: 130
// when ctx was cancelled (a signal; the run's own error is then only its echo), 2 when
// what the run needs is missing and the user can fix it (no python3, say), else 1.
func exitFor(ctx context.Context, err error) error {
	switch {
	case ctx.Err() != nil:
		return &exitError{code: 130, err: errInterrupted}
	case errors.Is(err, experiment.ErrUnavailable):
		return &exitError{code: 2, err: err}
	default:
		return &exitError{code: 1, err: err}
	}
}
