// Command coreography teaches concurrency vs parallelism by running it: real thread
// pools, a real GIL, real process pools and a real event loop, drawn live.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"

	"charm.land/fang/v2"
	"github.com/spf13/cobra"

	"github.com/coreography/coreography/pools"
)

func main() {
	// A process-pool worker is this binary re-executed; it speaks frames on its pipes
	// and must never reach the command line.
	if pools.IsWorker() {
		os.Exit(pools.WorkerMain())
	}
	os.Exit(execute(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// execute runs the command line args and returns the exit status.
func execute(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := &cobra.Command{
		Use:   "coreography",
		Short: "Learn concurrency vs parallelism by running it",
		Long: "coreography runs real thread pools, a real GIL, real process pools and a real\n" +
			"event loop on real work, and draws what every core and worker did.",
	}
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	addRunCommand(root)
	addWatchCommand(root)
	addScaleCommand(root)
	addLessonCommands(root)
	addTUICommands(root)
	err := fang.Execute(ctx, root,
		fang.WithNotifySignal(os.Interrupt, syscall.SIGTERM),
		fang.WithErrorHandler(printError))
	return exitCode(err)
}

// printError writes an error as one plain line per problem, for people and for
// scripts alike. fang's default draws a box and capitalises the first letter, which
// turns "--tasks" into "--Tasks".
func printError(w io.Writer, _ fang.Styles, err error) {
	fmt.Fprintf(w, "coreography: %v\n", err)
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
