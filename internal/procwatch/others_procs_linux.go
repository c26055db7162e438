package procwatch

import (
	"bytes"
	"os"
	"strconv"
	"time"
)

// Why a second measure of other programs: /proc/stat's busy ticks are sampled at the
// timer tick, and a run that sleeps and wakes on timers (io, http, the event loop)
// wakes exactly at ticks, so its cores look busy at nearly every tick it is awake
// for a moment. Those ticks are not the app's getrusage time, which is exact, so the
// run's own waking up was counted as other programs: an asyncio run on an idle
// machine read nearly all of its wall time as others' (docs/performance.md). The
// processes' own CPU clocks have no such bias. They cannot say which core a process
// used, so WatchOthers takes the smaller of the two figures: each errs only upward.

// procCPU is one process's CPU time and parent, from /proc/PID/stat.
type procCPU struct {
	cpu  time.Duration
	ppid int
}

// userHZ is the unit of utime and stime in /proc/PID/stat: USER_HZ, 100 on Linux.
const userHZ = 100

// scanProcesses reads every process's CPU time (utime + stime, which the kernel keeps
// from its exact run times) and parent. Processes that vanish while it reads are left
// out. A scan runs as a run starts and as it ends, inside the time the observer is
// measured, and a machine runs hundreds of processes: each file is read with three
// system calls into one buffer, where os.ReadFile spent ten (its poller registration
// and stat included) and an allocation.
func scanProcesses() map[int]procCPU {
	d, err := os.Open("/proc")
	if err != nil {
		return nil
	}
	names, _ := d.Readdirnames(-1)
	d.Close()
	out := make(map[int]procCPU, len(names))
	var buf [1024]byte // a stat line is a few hundred bytes; the fields read come early
	path := []byte("/proc/")
	for _, name := range names {
		pid, err := strconv.Atoi(name)
		if err != nil {
			continue
		}
		path = append(append(path[:len("/proc/")], name...), "/stat"...)
		n, ok := readSmall(string(path), buf[:])
		if !ok {
			continue
		}
		if p, ok := parseProcessStat(buf[:n]); ok {
			out[pid] = p
		}
	}
	return out
}

// parseProcessStat reads the parent and utime + stime from a /proc/PID/stat line. The
// command name is in parentheses and may hold spaces or parentheses itself, so fields
// are counted from the last ')'.
func parseProcessStat(data []byte) (procCPU, bool) {
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return procCPU{}, false
	}
	f := bytes.Fields(data[i+1:])
	if len(f) < 13 { // state ppid … utime(12th) stime(13th)
		return procCPU{}, false
	}
	ppid, err1 := strconv.Atoi(string(f[1]))
	utime, err2 := strconv.ParseInt(string(f[11]), 10, 64)
	stime, err3 := strconv.ParseInt(string(f[12]), 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return procCPU{}, false
	}
	return procCPU{cpu: time.Duration(utime+stime) * time.Second / userHZ, ppid: ppid}, true
}

// othersBetween is the CPU every process other than self and its descendants used
// between two scans. A process that started meanwhile counts from zero; one that
// ended meanwhile is not seen (an under-count, never an over-count).
func othersBetween(before, after map[int]procCPU, self int) time.Duration {
	var total time.Duration
	for pid, p := range after {
		if descendsFrom(pid, self, after) {
			continue
		}
		total += p.cpu - before[pid].cpu
	}
	return max(total, 0)
}

// descendsFrom reports whether pid is self or one of its descendants in procs.
func descendsFrom(pid, self int, procs map[int]procCPU) bool {
	for hops := 0; pid > 1 && hops < 64; hops++ {
		if pid == self {
			return true
		}
		pid = procs[pid].ppid
	}
	return false
}
