package procwatch

import (
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestParseCoresTicksSplitsBusyFromIdle(t *testing.T) {
	stat := []byte("cpu  900 0 90 9000 9 0 9 9 0 0\n" +
		"cpu0 100 1 20 5000 40 3 4 5 7 0\n" + // busy: 100+1+20+3+4+5; guest 7 is inside user
		"cpu1 200 0 30 4000 50 0 6 0 0 0\n" +
		"cpu2 999 0 999 0 0 0 0 0 0 0\n" +
		"intr 12345 0 0\nctxt 99\n")
	got, ok := parseCoresTicks(stat, []int{1, 0})
	if want := []coreTicks{{236, 4286, 0}, {133, 5173, 5}}; !ok || !slices.Equal(got, want) {
		t.Fatalf("ticks %v ok %v, want %v in the order asked", got, ok, want)
	}
	if _, ok := parseCoresTicks(stat, []int{0, 5}); ok {
		t.Fatal("a core missing from /proc/stat must make the figure unknown, not smaller")
	}
	if _, ok := parseCoresTicks([]byte("cpu0 1 2 x 4 5 6 7 8 9 10\n"), []int{0}); ok {
		t.Fatal("a garbled counter must make the figure unknown")
	}
}

// Late, bursty ticks: a core that counted 125 ticks in a second, all busy, was busy
// one second, not 1.25; a core that counted none says nothing and is all slack.
func TestBusyOverScalesTicksToTheWallTime(t *testing.T) {
	before := []coreTicks{{0, 0, 0}, {0, 0, 0}, {0, 0, 0}}
	after := []coreTicks{{125, 125, 0}, {25, 100, 0}, {0, 0, 0}}
	busy, slack := busyOver(before, after, time.Second)
	if want := 1250 * time.Millisecond; busy != want {
		t.Errorf("busy %v, want 1s + 250ms", busy)
	}
	if want := 8*time.Millisecond + 10*time.Millisecond + time.Second; slack != want {
		t.Errorf("slack %v, want %v", slack, want)
	}
}

// A busy loop of another program is counted as others, at least as much CPU as the
// loop itself used. It is started by a shell that exits at once, so it is nobody's
// child here: the app's own descendants are never other programs.
func TestWatchOthersCountsAnotherProgram(t *testing.T) {
	stop := WatchOthers(0, nil)
	out, err := exec.Command("sh", "-c", "sh -c 'while :; do :; done' >/dev/null 2>&1 & echo $!").Output()
	if err != nil {
		t.Skipf("no sh to run a busy loop: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatalf("busy loop's pid %q: %v", out, err)
	}
	defer syscall.Kill(pid, syscall.SIGKILL)
	time.Sleep(400 * time.Millisecond)
	hogCPU := processCPU(t, pid)
	o, ok := stop()
	if !ok {
		t.Fatal("others unknown on Linux")
	}
	if want := hogCPU - o.Slack; o.CPU < want {
		t.Fatalf("others %v, but the busy loop alone used %v (slack %v)", o.CPU, hogCPU, o.Slack)
	}
	if o.Cores != len(UsableCPUs()) || o.Span < 400*time.Millisecond {
		t.Fatalf("watched %d cores for %v, want every usable core for ≥ 400ms", o.Cores, o.Span)
	}
}

// processCPU is a live process's user+system time from /proc/PID/stat, in ticks.
func processCPU(t *testing.T, pid int) time.Duration {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+2:]))
	u, _ := strconv.ParseInt(f[11], 10, 64) // utime is field 14; f starts at field 3
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+s) * 10 * time.Millisecond // USER_HZ is 100
}

// The app's own work, in this process and in reaped worker subprocesses, is not
// others'. Only checkable on a quiet machine: anyone else's CPU would be counted too.
func TestWatchOthersLeavesOutTheAppsOwnWork(t *testing.T) {
	if load := loadAverage(t); load > 0.5 {
		t.Skipf("the machine is busy (load %.2f): others' CPU would be counted", load)
	}
	stop := WatchOthers(0, nil)
	done := make(chan struct{})
	for range runtime.NumCPU() {
		go func() {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			for end := time.Now().Add(300 * time.Millisecond); time.Now().Before(end); {
			}
			done <- struct{}{}
		}()
	}
	child := exec.Command("sh", "-c", "i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done")
	if err := child.Run(); err != nil {
		t.Skipf("no sh: %v", err)
	}
	for range runtime.NumCPU() {
		<-done
	}
	o, _ := stop()
	if o.Disturbed() {
		t.Fatalf("the app's own busy threads and child counted as others: %v of %d cores × %v", o.CPU, o.Cores, o.Span)
	}
}

// What is subtracted as the app's own is every thread of this process and every
// reaped worker subprocess: checkable however busy the machine is.
func TestOwnCPUCoversThisProcessAndReapedChildren(t *testing.T) {
	self0, children0 := ownCPU()
	runtime.LockOSThread()
	t0 := threadCPU()
	for end := time.Now().Add(100 * time.Millisecond); time.Now().Before(end); {
	}
	spun := time.Duration(threadCPU() - t0)
	runtime.UnlockOSThread()
	child := exec.Command("sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done")
	if err := child.Run(); err != nil {
		t.Skipf("no sh: %v", err)
	}
	childCPU := child.ProcessState.UserTime() + child.ProcessState.SystemTime()
	self1, children1 := ownCPU()
	if got := self1 - self0 + children1 - children0; got < spun+childCPU {
		t.Fatalf("own CPU grew by %v; this thread spun %v and the child used %v", got, spun, childCPU)
	}
}

func loadAverage(t *testing.T) float64 {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		t.Skip(err)
	}
	v, _ := strconv.ParseFloat(strings.Fields(string(data))[0], 64)
	return v
}
