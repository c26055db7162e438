package pools

import (
	"os"
	"strconv"
	"strings"
)

// processCPUTime is the user+system CPU time of a process so far, in clock ticks,
// from /proc/PID/stat.
func processCPUTime(pid int) (int64, bool) {
	f, ok := procStatFields(pid)
	if !ok || len(f) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	return utime + stime, err1 == nil && err2 == nil
}

// processStateNote says " (stopped)" when the kernel shows the process stopped.
func processStateNote(pid int) string {
	if f, ok := procStatFields(pid); ok && len(f) > 0 && (f[0] == "T" || f[0] == "t") {
		return " (stopped by a signal)"
	}
	return ""
}

// procStatFields are the fields of /proc/PID/stat after the command name: state first.
func procStatFields(pid int) ([]string, bool) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil, false
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return nil, false
	}
	return strings.Fields(s[i+1:]), true
}
