package pools

import (
	"fmt"
	"runtime"

	"github.com/coreography/coreography/internal/experiment"
)

// Two OS limits a run can hit, checked before it starts so the learner reads one
// line instead of a crash: the threads a user may run (ulimit -u: the Go runtime
// aborts with a 2,000-line dump when it cannot create a thread, which no code can
// catch) and the files a process may open (ulimit -n: every concurrent http fetch
// holds two sockets, the client's and the server's).

// threadsNeeded is the OS threads (which ulimit -u counts, every process's) a run
// adds: one per worker thread (threads, gil), a Go worker process's runtime threads
// per process, a CPython process's few per process, plus room for the app's own.
func threadsNeeded(spec experiment.Spec) int {
	own := runtime.GOMAXPROCS(0) + 8
	switch spec.Model {
	case experiment.Threads, experiment.GIL, experiment.PyThreads:
		return own + spec.Workers
	case experiment.Processes:
		return own + spec.Workers*(runtime.GOMAXPROCS(0)+4)
	case experiment.PyProcesses, experiment.PyPool:
		return own + 4 + spec.Workers*3 // the driver and its reaper, then each worker
	case experiment.PySerial, experiment.PyAsyncio:
		return own + 4
	}
	return own
}

// filesNeeded is the descriptors a run holds at once: its http fetches' sockets, a
// worker process's pipes, the CPython driver's.
func filesNeeded(spec experiment.Spec) int {
	const base = 64 // the app's own files, pipes and listeners
	need := base
	switch {
	case spec.Model == experiment.Processes:
		need += 4 * spec.Workers // stdin, stdout, stderr and a spare while it starts
	case spec.Model.IsCPython():
		need += 8
	}
	if spec.Tasks.HasHTTP() {
		concurrent := spec.Workers
		if spec.Model == experiment.Asyncio || spec.Model == experiment.PyAsyncio {
			concurrent = spec.Tasks.Count()
		}
		// Both ends of each fetch, and the silent connections the loopback server holds
		// before it closes them (see slowserver.go).
		need += 2*concurrent + maxUnproven
	}
	return need
}

// osLimitError is a run refused for an OS limit the user can raise: like a missing
// interpreter, a usage problem (exit status 2), and a lesson step skips it saying why.
type osLimitError struct{ error }

func (osLimitError) Is(target error) bool { return target == experiment.ErrUnavailable }

// checkOSLimits refuses a spec this process cannot run under its OS limits.
func checkOSLimits(spec experiment.Spec) error {
	if err := checkOSLimitsOf(spec); err != nil {
		return osLimitError{err}
	}
	return nil
}

func checkOSLimitsOf(spec experiment.Spec) error {
	if need := filesNeeded(spec); need > 0 {
		if limit, ok := openFileLimit(); ok && uint64(need) > limit {
			return fmt.Errorf("%s: %d workers%s need about %d open files, more than this process may open (ulimit -n is %d): use fewer workers or http tasks, or raise ulimit -n",
				spec.Model, spec.Workers, map[bool]string{true: " and their http fetches", false: ""}[spec.Tasks.HasHTTP()], need, limit)
		}
	}
	if free, limit, ok := threadsFree(); ok && threadsNeeded(spec) > free {
		return fmt.Errorf("%s: %d workers need about %d more threads, but your user may start only %d more (ulimit -u is %d): use fewer workers or raise ulimit -u",
			spec.Model, spec.Workers, threadsNeeded(spec), max(free, 0), limit)
	}
	return nil
}
