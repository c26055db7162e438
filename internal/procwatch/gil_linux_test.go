package procwatch

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/timeline"
)

// pureThreads runs two threads of pure Python for 1.5 s and prints how often the GIL
// changed hands between them, as the program itself sees it: how often the thread
// running bytecode changes. That count holds however loaded the machine is, where a
// thread's own gaps would count every preemption by other programs too.
const pureThreads = `
import threading, time
last = [None]; sw = [0]
def spin(until):
    me = threading.get_ident()
    while time.monotonic() < until:
        if last[0] is not me:
            last[0] = me; sw[0] += 1
until = time.monotonic() + 1.5
ts = [threading.Thread(target=spin, args=(until,)) for _ in range(2)]
for t in ts: t.start()
for t in ts: t.join()
print(sw[0] - 1)
`

const hashThreads = `
import threading, hashlib
data = b"x" * (1 << 20)
def h():
    m = hashlib.sha256()
    for _ in range(300): m.update(data)
ts = [threading.Thread(target=h) for _ in range(2)]
for t in ts: t.start()
for t in ts: t.join()
`

// Two pure-Python threads wait for the GIL for at least 30 % of their CPU, and watch
// counts the hand-offs the program itself counts, in both modes. Watch also counts the
// main thread's as it starts and joins the two, a few; and sampling misses whatever
// changed hands between two readings more than a switch interval (5 ms) apart. On an
// undisturbed run that is rare: the counts agree within 5 + 10 %, and the rate is that
// of a 5 ms switch interval, 100–300 a second. Other programs lower the rate (the
// threads wait for a core too) and can hold the sampler off a core for many switch
// intervals (docs/performance.md): a disturbed run is tried again. On every run the
// counts agree within 5 + a third, more than any load here hid and far less than a
// counter that misses the hand-offs that follow a wait for a core.
func TestWatchSeesPurePythonWaitForTheGIL(t *testing.T) {
	need(t, "python3")
	for _, src := range sources(t) {
		t.Run(src, func(t *testing.T) {
			retryUndisturbed(t, 4, func() (bool, bool, string) {
				r := watchProgram(t, src, false, "python3", "-c", pureThreads)
				seen, err := strconv.ParseInt(strings.TrimSpace(r.output), 10, 64)
				if err != nil || seen < 20 {
					t.Fatalf("the program said %q: not two threads handing the GIL to each other", r.output)
				}
				got := r.st.GILSwitches
				say := fmt.Sprintf("%s; watch counted %d GIL switches, the program %d", sayFigures(r), got, seen)
				t.Log(say)
				if got < seen-5-seen/3 || got > seen+5+seen/3 {
					t.Fatalf("watch counted %d GIL switches, the program saw %d: no load explains it", got, seen)
				}
				if r.st.GILWait < r.st.CPU*3/10 {
					t.Fatalf("gil wait %v of cpu %v: under 30 %%", r.st.GILWait, r.st.CPU)
				}
				agree := got >= seen-5-seen/10 && got <= seen+5+seen/10
				return agree && r.st.GILSwitchesPerS >= 100 && r.st.GILSwitchesPerS <= 300, r.disturbd, say
			})
		})
	}
}

// Two hashlib threads pinned to one core take turns on the core, not on the GIL
// (hashlib releases it): their GIL wait is under 10 % of their CPU, and the GIL changes
// hands only a few times, as the threads start and end. Counted as hand-offs, their
// turns on the core would be one every few milliseconds: hundreds in this run.
func TestWatchHashlibOnOneCoreWaitsForTheCoreNotTheGIL(t *testing.T) {
	need(t, "python3", "taskset")
	for _, src := range sources(t) {
		t.Run(src, func(t *testing.T) {
			r := watchProgram(t, src, false, "taskset", "-c", "0", "python3", "-c", hashThreads)
			t.Log(sayFigures(r))
			if r.st.GILWait >= r.st.CPU/10 {
				t.Errorf("gil wait %v of cpu %v: it waits for the core, not the GIL", r.st.GILWait, r.st.CPU)
			}
			if r.st.GILSwitches > 10 {
				t.Errorf("%d gil switches: turns on one core counted as hand-offs of the GIL", r.st.GILSwitches)
			}
		})
	}
}

// xz has no GIL: no switches, and no process of the watch is CPython.
func TestWatchXZHasNoGIL(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: xz compresses for seconds")
	}
	need(t, "xz", "sh")
	for _, src := range sources(t) {
		t.Run(src, func(t *testing.T) {
			r := watchProgram(t, src, false, "sh", "-c", "head -c 6000000 /dev/urandom | xz -T2 -1 > /dev/null")
			if r.st.GILSwitches != 0 || r.w.AnyPython() || r.st.GILWait != 0 {
				t.Errorf("xz: %d gil switches, python %v, gil wait %v", r.st.GILSwitches, r.w.AnyPython(), r.st.GILWait)
			}
			if r.st.Others == nil {
				t.Errorf("others_cpu_s unknown on Linux")
			}
		})
	}
}

const sleepyThreads = `
import threading, time
def work():
    while True:
        x = 0
        for i in range(20000): x += i
        time.sleep(0.01)
for n in ("alpha", "beta"):
    threading.Thread(target=work, name=n, daemon=True).start()
print("ready", flush=True)
time.sleep(60)
`

// watch -p draws a running python3's threads, named, and detaching leaves it running.
func TestWatchAttachIsReadOnly(t *testing.T) {
	need(t, "python3")
	for _, src := range sources(t) {
		t.Run(src, func(t *testing.T) {
			cmd := exec.Command("python3", "-c", sleepyThreads)
			out, _ := cmd.StdoutPipe()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			io.ReadFull(out, make([]byte, 6)) // "ready\n": its threads are running
			ctx, cancel := context.WithTimeout(context.Background(), 800*time.Millisecond)
			defer cancel()
			rec := timeline.NewRecorder(timeline.Meta{Model: "watch"})
			w, err := Watch(ctx, Options{PID: cmd.Process.Pid, Source: src}, rec)
			if err != nil || w.ExitCode != 0 {
				t.Fatalf("attach: %v, exit %d", err, w.ExitCode)
			}
			var names []string
			for _, l := range rec.Snapshot().Lanes {
				names = append(names, l.Name)
			}
			if w.Threads < 3 {
				t.Errorf("%d threads drawn: %q", w.Threads, names)
			}
			if err := cmd.Process.Signal(syscall.Signal(0)); err != nil {
				t.Errorf("the program attached to did not survive the detach: %v", err)
			}
		})
	}
}

// Children sit under their parent, as in htop's tree view: after the parent's lanes,
// their names starting with TreeMark, one space further in per generation.
func TestWatchDrawsTheTree(t *testing.T) {
	need(t, "sh", "sleep")
	for _, src := range sources(t) {
		t.Run(src, func(t *testing.T) {
			r := watchProgram(t, src, false, "sh", "-c", `sh -c "sleep 0.3; :"; :`)
			var names []string
			for _, l := range r.tr.Lanes {
				names = append(names, l.Name)
			}
			want := []string{"sh · pid", TreeMark + "sh · pid", " " + TreeMark + "sleep · pid"}
			if len(names) < 3 {
				t.Fatalf("lanes %q", names)
			}
			for i, w := range want {
				if !strings.HasPrefix(names[i], w) {
					t.Errorf("lane %d is %q, want it to start %q (all: %q)", i, names[i], w, names)
				}
			}
		})
	}
}
