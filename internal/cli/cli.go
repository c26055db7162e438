// Package cli is coreography's command line: the commands, their shared flags, exit
// statuses and JSON output. main.go only calls Main.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"charm.land/fang/v2"
	"github.com/spf13/cobra"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/safefile"
	"github.com/coreography/coreography/internal/termsafe"
	"github.com/coreography/coreography/pools"
)

// Main runs the command line and returns the exit status. A process-pool worker is
// this binary re-executed; it speaks frames on its pipes and never reaches the
// command line.
func Main() int {
	if pools.IsWorker() {
		return pools.WorkerMain()
	}
	if err := startLimits(); err != nil {
		fmt.Fprintf(os.Stderr, "coreography: %v\n", err)
		return 2
	}
	defer safefile.Cleanup() // the private temporary directory, when the cache had to do without
	return execute(context.Background(), os.Args[1:], os.Stdout, os.Stderr)
}

// execute runs the command line args and returns the exit status.
func execute(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	// Before any spec is read: planned work and the limits count add(N) at what an
	// increment costs on this machine, as the real engines measure it.
	experiment.SetIncrementCost(pools.IncrementCost)
	root := &cobra.Command{
		Use:   "coreography",
		Short: "Learn concurrency vs parallelism by running it",
		Long: `coreography runs real thread pools, a real GIL, real process pools and a real
event loop on real work, and draws what every core and worker did.

Exit status: 0 done; 1 a run or check failed, a lesson file has problems, or the
output could not be written; 2 a usage error: a bad flag, notation or lesson id,
a spec over a limit, a trace that cannot be read, no terminal for the full-screen
app; 128+N ended by signal N: 129 SIGHUP, 130 SIGINT (Ctrl-C), 143 SIGTERM.`,
	}
	root.SetArgs(args)
	out := &outWriter{w: stdout}
	stdout = out
	root.SetOut(stdout)
	root.SetErr(stderr)
	addRunCommand(root)
	addWatchCommand(root)
	addScaleCommand(root)
	addLessonCommands(root)
	addTUICommands(root)
	// One owner for INT, TERM and HUP (signals.go): not fang.WithNotifySignal, and not
	// Bubble Tea's handler.
	ctx, stop := withSignals(ctx)
	defer stop()
	err := fang.Execute(ctx, root, fang.WithErrorHandler(printError))
	if status, bySignal := signalStatus(ctx); bySignal && err != nil {
		return status
	}
	if out.err != nil {
		// Output that did not arrive (a full disk, a closed pipe) is a failure of the
		// output, not the caller's mistake: 1, whatever the command made of it.
		if err == nil {
			printError(stderr, fang.Styles{}, fmt.Errorf("writing the output: %w", out.err))
		}
		return 1
	}
	return exitCode(err)
}

// printError writes an error as one plain line per problem, for people and for
// scripts alike. fang's default draws a box and capitalises the first letter, which
// turns "--tasks" into "--Tasks".
func printError(w io.Writer, _ fang.Styles, err error) {
	// A message that already names the app (a worker's, a nested run's) is not named twice.
	msg := strings.TrimPrefix(termsafe.Strip(err.Error()), "coreography: ") // a file name may hold escapes
	fmt.Fprintf(w, "coreography: %s\n", msg)
}

// outWriter remembers the first error writing to stdout, so a command whose output
// was lost (check >/dev/full) does not exit 0.
type outWriter struct {
	w   io.Writer
	err error
}

func (o *outWriter) Write(p []byte) (int, error) {
	n, err := o.w.Write(p)
	if err != nil && o.err == nil {
		o.err = err
	}
	return n, err
}

// exitError carries the exit status a command wants: 2 for bad flags or notation,
// 1 for a failure the input did not cause.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageError marks err as the caller's mistake: exit status 2.
func usageError(format string, args ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

func exitCode(err error) int {
	var ee *exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, context.Canceled):
		return 130
	default:
		// cobra's own flag errors are usage errors too.
		return 2
	}
}
