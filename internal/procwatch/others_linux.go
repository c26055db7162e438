package procwatch

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"time"

	"golang.org/x/sys/unix"

	"github.com/coreography/coreography/internal/timeline"
)

// WatchOthers starts watching the cores a run with cores (0: all) may use, and
// returns the function that stops and says how much CPU other programs took on them
// meanwhile: every core's busy time in /proc/stat (user, nice, system, irq, softirq
// and steal — steal is a hypervisor giving the core to another machine, which slows
// the run just as much) minus what this process and its reaped children (the worker
// subprocesses) used, from getrusage. ok is false when /proc/stat cannot be read.
//
// Each core's busy time is its busy share of the ticks it counted meanwhile, times
// the wall time watched, not its busy ticks alone: in a VM whose vCPUs the host
// deschedules, ticks arrive late and in bursts (docs/performance.md), while the share
// stays true.
//
// The app's own CPU is subtracted whole even when the run is pinned to fewer cores
// than the app's other threads (the UI) may use: others may then be under-counted by
// the app's own drawing, never over-counted, so a run is not called disturbed by
// its own observer.
//
// tree (nil: none) is the CPU a run's own processes used as measured some other way.
// A CPython run's pool workers are the driver's children, killed with it, so their
// CPU never reaches this process's getrusage; the run's sampler sees it, and the
// larger of the two figures is the run's own.
func WatchOthers(cores int, tree func() time.Duration) (stop func() (timeline.Others, bool)) {
	cpus := UsableCPUs()
	if cores > 0 && cores < len(cpus) {
		cpus = cpus[:cores]
	}
	_, queueKnown := ThreadRunDelay()
	ticks0, ok0 := coresTicks(cpus)
	procs0 := scanProcesses()
	self0, children0 := ownCPU()
	t0 := timeline.Now()
	return func() (timeline.Others, bool) {
		self1, children1 := ownCPU()
		procs1 := scanProcesses()
		ticks1, ok1 := coresTicks(cpus)
		own := self1 - self0 + children1 - children0
		if tree != nil {
			own = self1 - self0 + max(children1-children0, tree())
		}
		span := time.Duration(timeline.Now() - t0)
		if !ok0 || !ok1 || len(cpus) == 0 {
			return timeline.Others{}, false
		}
		busy, slack := busyOver(ticks0, ticks1, span)
		others := max(busy-own, 0)
		if procs0 != nil && procs1 != nil { // see others_procs_linux.go
			others = min(others, othersBetween(procs0, procs1, os.Getpid()))
		}
		return timeline.Others{CPU: others, Cores: len(cpus), Span: span, Slack: slack,
			Steal: stealOver(ticks0, ticks1, span), App: self1 - self0, QueueKnown: queueKnown}, true
	}
}

// coreTicks are one core's counters: busy ticks and all ticks, idle included, and
// the ticks the hypervisor stole (inside busy).
type coreTicks struct{ busy, total, steal int64 }

// stealOver is the time the hypervisor gave the watched cores to another machine
// over span, each core's steal share of the ticks it counted times span.
func stealOver(before, after []coreTicks, span time.Duration) time.Duration {
	var steal time.Duration
	for i := range before {
		if n := after[i].total - before[i].total; n > 0 {
			steal += time.Duration(float64(span) * float64(after[i].steal-before[i].steal) / float64(n))
		}
	}
	return max(steal, 0)
}

// busyOver turns two readings of the watched cores into busy time over span, and
// the slack of that figure: a core that counted n ticks knows its share to 1/n.
// A core that counted no tick at all (a run shorter than one) is all slack.
func busyOver(before, after []coreTicks, span time.Duration) (busy, slack time.Duration) {
	for i := range before {
		b, s := coreBusyOver(before[i], after[i], span)
		busy, slack = busy+b, slack+s
	}
	return busy, slack
}

// coreBusyOver is busyOver for one core.
func coreBusyOver(before, after coreTicks, span time.Duration) (busy, slack time.Duration) {
	n := after.total - before.total
	if n <= 0 {
		return 0, span
	}
	return time.Duration(float64(span) * float64(after.busy-before.busy) / float64(n)), span / time.Duration(n)
}

// watchCoreBusy starts reading every usable core's counters and returns the function
// that says how long each core was busy since, whoever kept it busy, by the measure
// WatchOthers uses. ok is false when /proc/stat cannot be read.
func watchCoreBusy() func() (busy map[int]time.Duration, ok bool) {
	cpus := UsableCPUs()
	ticks0, ok0 := coresTicks(cpus)
	t0 := timeline.Now()
	return func() (map[int]time.Duration, bool) {
		ticks1, ok1 := coresTicks(cpus)
		if !ok0 || !ok1 {
			return nil, false
		}
		span := time.Duration(timeline.Now() - t0)
		busy := make(map[int]time.Duration, len(cpus))
		for i, c := range cpus {
			busy[c], _ = coreBusyOver(ticks0[i], ticks1[i], span)
		}
		return busy, true
	}
}

// coresTicks reads the listed cores' counters from /proc/stat.
func coresTicks(cpus []int) ([]coreTicks, bool) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return nil, false
	}
	return parseCoresTicks(data, cpus)
}

// parseCoresTicks reads "cpuN user nice system idle iowait irq softirq steal guest
// guest_nice" lines into the listed cores' counters, in the order listed. Guest time
// is already inside user; idle and iowait are not busy. It fails if any listed core
// is missing.
func parseCoresTicks(stat []byte, cpus []int) ([]coreTicks, bool) {
	at := map[int]int{}
	for i, c := range cpus {
		at[c] = i
	}
	out := make([]coreTicks, len(cpus))
	found := 0
	sc := bufio.NewScanner(bytes.NewReader(stat))
	for sc.Scan() {
		f := bytes.Fields(sc.Bytes())
		if len(f) < 9 || !bytes.HasPrefix(f[0], []byte("cpu")) || len(f[0]) == 3 {
			continue
		}
		n, err := strconv.Atoi(string(f[0][3:]))
		i, want := at[n]
		if err != nil || !want {
			continue
		}
		for field := 1; field <= 8; field++ { // user nice system idle iowait irq softirq steal
			v, err := strconv.ParseInt(string(f[field]), 10, 64)
			if err != nil {
				return nil, false
			}
			out[i].total += v
			if field != 4 && field != 5 {
				out[i].busy += v
			}
			if field == 8 {
				out[i].steal = v
			}
		}
		found++
	}
	return out, found == len(cpus)
}

// ownCPU is the CPU this process and its reaped children have used: getrusage adds
// up the scheduler's exact run times, not ticks.
func ownCPU() (self, children time.Duration) {
	return rusageCPU(unix.RUSAGE_SELF), rusageCPU(unix.RUSAGE_CHILDREN)
}

func rusageCPU(who int) time.Duration {
	var ru unix.Rusage
	if unix.Getrusage(who, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// UsableCPUs lists the cores this process may run on, in order.
func UsableCPUs() []int {
	var set unix.CPUSet
	if unix.SchedGetaffinity(0, &set) != nil {
		return nil
	}
	var cpus []int
	for c := range 1024 {
		if set.IsSet(c) {
			cpus = append(cpus, c)
		}
	}
	return cpus
}
