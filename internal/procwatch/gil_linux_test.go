package procwatch

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/timeline"
)

const pureThreads = `
import threading
def spin():
    x = 0
    for i in range(5_000_000): x += i
ts = [threading.Thread(target=spin) for _ in range(2)]
for t in ts: t.start()
for t in ts: t.join()
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

// exactOrSkip is the scheduler's events, or a skip saying why they cannot be read.
func exactOrSkip(t *testing.T) string {
	if !SamplerAvailable {
		t.Skip("watch reads /proc: Linux only")
	}
	if err := eventsAllowed(); err != nil {
		t.Skipf("exact mode needs the scheduler's events: %v", err)
	}
	return SourceEvents
}

// Two pure-Python threads wait for the GIL for at least 30 % of their CPU, and the GIL
// changes hands 100–300 times a second (every 5 ms switch interval at most).
func TestWatchSeesPurePythonWaitForTheGIL(t *testing.T) {
	need(t, "python3")
	src := exactOrSkip(t)
	retryUndisturbed(t, 4, func() (bool, bool, string) {
		r := watchProgram(t, src, false, "python3", "-c", pureThreads)
		ok := r.st.GILWait >= r.st.CPU*3/10 && r.st.GILSwitchesPerS >= 100 && r.st.GILSwitchesPerS <= 300
		t.Log(sayFigures(r))
		return ok, r.disturbd, sayFigures(r)
	})
}

// Two hashlib threads pinned to one core take turns on the core, not on the GIL
// (hashlib releases it): their GIL wait is under 10 % of their CPU.
func TestWatchHashlibOnOneCoreWaitsForTheCoreNotTheGIL(t *testing.T) {
	need(t, "python3", "taskset")
	for _, src := range sources(t) {
		t.Run(src, func(t *testing.T) {
			r := watchProgram(t, src, false, "taskset", "-c", "0", "python3", "-c", hashThreads)
			t.Log(sayFigures(r))
			if r.st.GILWait >= r.st.CPU/10 {
				t.Errorf("gil wait %v of cpu %v: it waits for the core, not the GIL", r.st.GILWait, r.st.CPU)
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

// countingThreads counts, in Python, how often the thread running bytecode changes:
// the GIL changing hands, as the program itself sees it.
const countingThreads = `
import threading, sys
last = [None]; sw = [0]
def spin():
    me = threading.get_ident()
    for i in range(3_000_000):
        if last[0] is not me:
            last[0] = me; sw[0] += 1
ts = [threading.Thread(target=spin) for _ in range(2)]
for t in ts: t.start()
for t in ts: t.join()
print(sw[0] - 1)
`

// The GIL switches watch counts are the hand-offs the program itself sees, within a
// few (the main thread's, as it starts and joins the two, are watch's only): however
// loaded the machine, both count the same events.
func TestWatchCountsTheHandOffsPythonSees(t *testing.T) {
	need(t, "python3")
	src := exactOrSkip(t)
	log := filepath.Join(t.TempDir(), "out")
	f, err := os.Create(log)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rec := timeline.NewRecorder(timeline.Meta{Model: "watch"})
	if _, err := Watch(context.Background(), Options{Argv: []string{"python3", "-c", countingThreads}, Log: f, Source: src}, rec); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(log)
	seen, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatalf("the program said %q", data)
	}
	got := rec.Snapshot().GILSwitches
	t.Logf("watch counted %d GIL switches, the program %d", got, seen)
	if d, slack := got-int64(seen), max(5, int64(seen)/5); d < -slack || d > slack {
		t.Errorf("watch counted %d GIL switches, the program saw %d", got, seen)
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
