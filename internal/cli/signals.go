package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// The app has exactly one owner of SIGINT, SIGTERM and SIGHUP: withSignals. Bubble
// Tea's own handler is switched off (tea.WithoutSignalHandler): when both handled
// SIGTERM, Bubble Tea's could block forever sending a quit message its finished event
// loop never read, and its shutdown waits for that handler, so the app hung with the
// terminal raw. Commands see a signal as their context being cancelled.

// caughtSignals are the signals that end the app, each with exit status 128+signal.
var caughtSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}

// signalError is the cause of a context cancelled by a signal.
type signalError struct{ sig syscall.Signal }

func (e signalError) Error() string { return fmt.Sprintf("interrupted by %s", signalName(e.sig)) }

// exitStatus is the shell convention for a process ended by a signal: 128 + its number
// (130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP).
func (e signalError) exitStatus() int { return 128 + int(e.sig) }

func signalName(s syscall.Signal) string {
	switch s {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGHUP:
		return "SIGHUP"
	}
	return s.String()
}

// graceAfterSignal is how long the app may take to stop its runs and restore the
// terminal after a signal before it exits regardless.
const graceAfterSignal = 1500 * time.Millisecond

// forceExit runs the hooks registered with onForcedExit, then exits; it is how the
// app keeps its promise to end soon after a signal even if something is stuck.
var (
	forcedMu    sync.Mutex
	forcedHooks []func()
)

// onForcedExit registers f (such as restoring the terminal) to run if the app has to
// exit without its normal shutdown. The returned func unregisters it.
func onForcedExit(f func()) (remove func()) {
	forcedMu.Lock()
	defer forcedMu.Unlock()
	forcedHooks = append(forcedHooks, f)
	i := len(forcedHooks) - 1
	return func() {
		forcedMu.Lock()
		forcedHooks[i] = nil
		forcedMu.Unlock()
	}
}

// withSignals returns ctx cancelled, with a signalError cause, by the first of
// caughtSignals. If the app has not returned graceAfterSignal later, or a second
// signal arrives, it runs the forced-exit hooks and exits with the first signal's
// status. stop releases the signals.
func withSignals(parent context.Context) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, caughtSignals...)
	done := make(chan struct{})
	go func() {
		var first signalError
		select {
		case s := <-sigs:
			first = signalError{sig: s.(syscall.Signal)}
			cancel(first)
		case <-done:
			return
		}
		select {
		case <-sigs:
		case <-time.After(graceAfterSignal):
		case <-done:
			return
		}
		forcedMu.Lock()
		for _, f := range forcedHooks {
			if f != nil {
				f()
			}
		}
		fmt.Fprintf(os.Stderr, "coreography: %v: stopped without a clean shutdown\n", first)
		os.Exit(first.exitStatus())
	}()
	var once sync.Once
	return ctx, func() {
		once.Do(func() {
			signal.Stop(sigs)
			close(done)
			cancel(nil)
		})
	}
}

// signalStatus is the exit status for a context a signal cancelled, and whether one did.
func signalStatus(ctx context.Context) (int, bool) {
	var se signalError
	if errors.As(context.Cause(ctx), &se) {
		return se.exitStatus(), true
	}
	return 0, false
}
