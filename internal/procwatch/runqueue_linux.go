package procwatch

import (
	"bytes"
	"os"
	"strconv"
	"time"
)

// ThreadRunDelay is how long the calling thread has waited on a run queue for a core
// since it began: field 2 of /proc/thread-self/schedstat, in ns, as the scheduler
// accounts it. ok is false where the kernel does not say (no schedstats).
func ThreadRunDelay() (time.Duration, bool) {
	data, err := os.ReadFile("/proc/thread-self/schedstat")
	if err != nil {
		return 0, false
	}
	return parseRunDelay(data)
}

// ThreadRunDelayOf is ThreadRunDelay of thread tid of process pid.
func ThreadRunDelayOf(pid, tid int) (time.Duration, bool) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/task/" + strconv.Itoa(tid) + "/schedstat")
	if err != nil {
		return 0, false
	}
	return parseRunDelay(data)
}

// ProcessRunDelay is ThreadRunDelay summed over every live thread of process pid.
func ProcessRunDelay(pid int) (time.Duration, bool) {
	dir := "/proc/" + strconv.Itoa(pid) + "/task"
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return 0, false
	}
	var sum time.Duration
	for _, t := range tasks {
		data, err := os.ReadFile(dir + "/" + t.Name() + "/schedstat")
		if err != nil {
			continue // the thread just ended
		}
		if d, ok := parseRunDelay(data); ok {
			sum += d
		}
	}
	return sum, true
}

// parseRunDelay reads the second field of a schedstat line: "runtime delay slices".
func parseRunDelay(data []byte) (time.Duration, bool) {
	f := bytes.Fields(data)
	if len(f) < 2 {
		return 0, false
	}
	ns, err := strconv.ParseInt(string(f[1]), 10, 64)
	if err != nil || ns < 0 {
		return 0, false
	}
	return time.Duration(ns), true
}
