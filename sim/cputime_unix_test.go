//go:build unix

package sim

import "syscall"

// processCPU is the CPU time this process has used, in seconds: on a machine shared
// with other work, events per CPU second says what the simulator costs, and events per
// wall second what the learner waits.
func processCPU() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
