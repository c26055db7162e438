package cli

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// minThreadLimit is the least ulimit -u the app starts under. The Go runtime aborts
// with a dump of every goroutine when it cannot start a thread, which no code can
// catch, and the app itself needs a dozen or so: below this, say so and stop, before
// anything else has run.
const minThreadLimit = 16

// startLimits refuses to start under a thread limit the app cannot live with; root
// is exempt from it, as the kernel exempts root.
func startLimits() error {
	var rl unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_NPROC, &rl) != nil || rl.Cur >= minThreadLimit || os.Geteuid() == 0 {
		return nil
	}
	return fmt.Errorf("ulimit -u is %d: coreography needs at least %d threads for itself; raise it (ulimit -u %d or more)", rl.Cur, minThreadLimit, 4*minThreadLimit)
}
