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

// threadsNeeded is the OS threads a run adds: one per worker thread (threads, gil),
// plus room for the runtime's own.
func threadsNeeded(spec experiment.Spec) int {
	switch spec.Model {
	case experiment.Threads, experiment.GIL:
		return spec.Workers + runtime.GOMAXPROCS(0) + 8
	}
	return runtime.GOMAXPROCS(0) + 8
}

// filesNeeded is the descriptors a run's http fetches hold at once.
func filesNeeded(spec experiment.Spec) int {
	if !spec.Tasks.HasHTTP() {
		return 0
	}
	concurrent := spec.Workers
	if spec.Model == experiment.Asyncio {
		concurrent = spec.Tasks.Count()
	}
	// The app's own files, pipes and listeners, and the silent connections the loopback
	// server holds before it closes them (see slowserver.go).
	return 2*concurrent + 64 + maxUnproven
}

// checkOSLimits refuses a spec this process cannot run under its OS limits.
func checkOSLimits(spec experiment.Spec) error {
	if need := filesNeeded(spec); need > 0 {
		if limit, ok := openFileLimit(); ok && uint64(need) > limit {
			return fmt.Errorf("http: %d fetches at once need about %d open files, more than this process may open (ulimit -n is %d): use fewer http tasks or raise ulimit -n",
				(need-64-maxUnproven)/2, need, limit)
		}
	}
	if free, limit, ok := threadsFree(); ok && threadsNeeded(spec) > free {
		return fmt.Errorf("%s: %d workers need about %d more threads, but your user may start only %d more (ulimit -u is %d): use fewer workers or raise ulimit -u",
			spec.Model, spec.Workers, threadsNeeded(spec), max(free, 0), limit)
	}
	return nil
}
