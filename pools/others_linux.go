package pools

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"time"

	"golang.org/x/sys/unix"

	"github.com/coreography/coreography/timeline"
)

// userHZ is the unit of /proc/stat: USER_HZ is 100 on every Linux architecture Go
// supports (it is part of the ABI, whatever the kernel's HZ).
const userHZ = 100

// watchOthers starts watching the cores a run with cores (0: all) may use, and
// returns the function that stops and says how much CPU other programs took on them
// meanwhile: every core's busy time in /proc/stat (user, nice, system, irq, softirq
// and steal — steal is a hypervisor giving the core to another machine, which slows
// the run just as much) minus what this process and its reaped children (the worker
// subprocesses) used, from getrusage. ok is false when /proc/stat cannot be read.
//
// The app's own CPU is subtracted whole even when the run is pinned to fewer cores
// than the app's other threads (the UI) may use: others may then be under-counted by
// the app's own drawing, never over-counted, so a run is not called disturbed by
// its own observer.
func watchOthers(cores int) (stop func() (timeline.Others, bool)) {
	cpus := usableCPUs()
	if cores > 0 && cores < len(cpus) {
		cpus = cpus[:cores]
	}
	busy0, ok0 := coresBusy(cpus)
	own0 := ownCPU()
	t0 := timeline.Now()
	return func() (timeline.Others, bool) {
		own1 := ownCPU()
		busy1, ok1 := coresBusy(cpus)
		span := time.Duration(timeline.Now() - t0)
		if !ok0 || !ok1 || len(cpus) == 0 {
			return timeline.Others{}, false
		}
		others := (busy1 - busy0) - (own1 - own0)
		return timeline.Others{
			CPU:   max(others, 0),
			Cores: len(cpus),
			Span:  span,
			// Each core's two readings are whole ticks: the difference may be a tick off.
			Slack: time.Duration(len(cpus)) * time.Second / userHZ,
		}, true
	}
}

// coresBusy adds up the busy time of the listed cores from /proc/stat.
func coresBusy(cpus []int) (time.Duration, bool) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, false
	}
	return parseCoresBusy(data, cpus)
}

// parseCoresBusy reads "cpuN user nice system idle iowait irq softirq steal guest
// guest_nice" lines. Guest time is already inside user, and idle and iowait are not
// busy. It fails if any listed core is missing.
func parseCoresBusy(stat []byte, cpus []int) (time.Duration, bool) {
	want := map[int]bool{}
	for _, c := range cpus {
		want[c] = true
	}
	var ticks int64
	found := 0
	sc := bufio.NewScanner(bytes.NewReader(stat))
	for sc.Scan() {
		f := bytes.Fields(sc.Bytes())
		if len(f) < 9 || !bytes.HasPrefix(f[0], []byte("cpu")) || len(f[0]) == 3 {
			continue
		}
		n, err := strconv.Atoi(string(f[0][3:]))
		if err != nil || !want[n] {
			continue
		}
		for _, i := range []int{1, 2, 3, 6, 7, 8} { // user nice system irq softirq steal
			v, err := strconv.ParseInt(string(f[i]), 10, 64)
			if err != nil {
				return 0, false
			}
			ticks += v
		}
		found++
	}
	if found != len(want) {
		return 0, false
	}
	return time.Duration(ticks) * time.Second / userHZ, true
}

// ownCPU is the CPU this process and its reaped children have used: getrusage adds
// up the scheduler's exact run times, not ticks.
func ownCPU() time.Duration {
	var total time.Duration
	for _, who := range []int{unix.RUSAGE_SELF, unix.RUSAGE_CHILDREN} {
		var ru unix.Rusage
		if unix.Getrusage(who, &ru) == nil {
			total += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	return total
}
