package procwatch

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/timeline"
)

// watched is one watch of a test program: its figures and the kernel's.
type watched struct {
	w        Watched
	st       timeline.Stats
	tr       *timeline.Trace
	kernel   time.Duration // user+sys from /usr/bin/time inside the tree; 0 without it
	perCore  time.Duration
	disturbd bool
	output   string // what the program wrote
}

// watchProgram watches argv with the source asked for, under /usr/bin/time when timed.
func watchProgram(t *testing.T, source string, timed bool, argv ...string) watched {
	t.Helper()
	out := filepath.Join(t.TempDir(), "time")
	if timed {
		if _, err := os.Stat("/usr/bin/time"); err != nil {
			t.Skip("no /usr/bin/time to give the kernel's count")
		}
		argv = append([]string{"/usr/bin/time", "-f", "%U %S %e", "-o", out}, argv...)
	}
	log, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	rec := timeline.NewRecorder(timeline.Meta{Name: strings.Join(argv, " "), Model: "watch"})
	w, err := Watch(context.Background(), Options{Argv: argv, Log: log, Source: source}, rec)
	if err != nil {
		t.Fatalf("%v: %v", argv, err)
	}
	output, _ := os.ReadFile(log.Name())
	tr := rec.Snapshot()
	r := watched{w: w, tr: tr, st: timeline.Compute(tr), output: string(output)}
	for _, c := range r.st.PerCore {
		r.perCore += c.Busy
	}
	// Disturbed as the GIL's figures feel it: others took cores, or the program's own
	// threads waited for one for more than a tenth of their CPU.
	var preempted time.Duration
	for _, th := range PerThread(tr) {
		preempted += th.States[timeline.Preempted]
	}
	r.disturbd = r.st.Disturbed || preempted > r.st.CPU/10
	if timed {
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatalf("/usr/bin/time wrote nothing: %v", err)
		}
		f := strings.Fields(string(data))
		if len(f) < 3 {
			t.Fatalf("/usr/bin/time wrote %q", data)
		}
		u, _ := strconv.ParseFloat(f[len(f)-3], 64)
		s, _ := strconv.ParseFloat(f[len(f)-2], 64)
		r.kernel = time.Duration((u + s) * float64(time.Second))
	}
	return r
}

// sources are the sources a test runs in: sampling always, events where allowed.
func sources(t *testing.T) []string {
	if !SamplerAvailable {
		t.Skip("watch reads /proc: Linux only")
	}
	out := []string{SourceSampling}
	if err := eventsAllowed(); err != nil {
		t.Logf("the scheduler's events are not readable here, so exact mode is not tested: %v", err)
	} else {
		out = append(out, SourceEvents)
	}
	return out
}

func near(got, want time.Duration, share float64) bool {
	return float64(got) >= (1-share)*float64(want) && float64(got) <= (1+share)*float64(want)
}

func need(t *testing.T, names ...string) {
	for _, n := range names {
		if _, err := exec.LookPath(n); err != nil {
			t.Skipf("no %s here", n)
		}
	}
}

// The watch's CPU, and the sum of its per-core busy time, agree with the kernel's
// user+sys for the tree (/usr/bin/time inside it) within 10 %, for programs made of
// many short processes and of threads, in both modes: sampling mode places the CPU
// of processes that ended unseen on cores by their counters, and says how much
// (placed), which is the unattributed CPU and no more.
func TestWatchAgreesWithTheKernel(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: real programs for seconds")
	}
	need(t, "sh", "awk")
	loop := `for i in $(seq 300); do awk 'BEGIN{for(i=0;i<20000;i++)s+=i}'; done`
	programs := map[string][]string{
		"300 short processes":        {"sh", "-c", loop},
		"two loops in parallel":      {"sh", "-c", "(" + loop + ") & (" + loop + ") & wait"},
		"a multi-threaded C program": cProgram(t),
	}
	if _, err := exec.LookPath("python3"); err == nil {
		programs["a ProcessPoolExecutor"] = []string{"python3", "-c", poolProgram}
	}
	for _, src := range sources(t) {
		for name, argv := range programs {
			if argv == nil {
				continue
			}
			t.Run(src+"/"+name, func(t *testing.T) {
				// go test ./... runs other packages' tests beside this one on the same
				// cores; a watch that disagrees there is tried again, and only three
				// disagreements in a row fail.
				var problems []string
				for try := 1; try <= 3; try++ {
					r := watchProgram(t, src, true, argv...)
					t.Logf("try %d: kernel %v, cpu %v, per core %v, unattributed %v, observer %v, %d processes, %d records lost",
						try, r.kernel, r.st.CPU, r.perCore, r.st.Unattributed, r.st.SamplerCPU, r.w.Processes, r.w.Lost)
					problems = problems[:0]
					if !near(r.st.CPU, r.kernel, 0.10) {
						problems = append(problems, fmt.Sprintf("cpu %v, kernel %v: more than 10 %% apart", r.st.CPU, r.kernel))
					}
					if !near(r.perCore, r.kernel, 0.10) {
						problems = append(problems, fmt.Sprintf("per-core sum %v, kernel %v: more than 10 %% apart", r.perCore, r.kernel))
					}
					if placed := placedOf(r.st); placed > r.st.Unattributed {
						t.Errorf("placed %v on cores, more than the %v no lane holds", placed, r.st.Unattributed)
					}
					if len(problems) == 0 {
						return
					}
				}
				for _, p := range problems {
					t.Error(p)
				}
			})
		}
	}
}

const poolProgram = `
from concurrent.futures import ProcessPoolExecutor
def work(n):
    s = 0
    for i in range(n): s += i
    return s
if __name__ == "__main__":
    with ProcessPoolExecutor(2) as ex:
        print(sum(ex.map(work, [1_000_000] * 16)))
`

const cThreads = `
#include <pthread.h>
#include <stdio.h>
static void *spin(void *arg) {
	volatile unsigned long s = 0;
	for (unsigned long i = 0; i < 150000000UL; i++) s += i;
	return NULL;
}
int main(void) {
	pthread_t t[3];
	for (int i = 0; i < 3; i++) pthread_create(&t[i], NULL, spin, NULL);
	for (int i = 0; i < 3; i++) pthread_join(t[i], NULL);
	puts("done");
	return 0;
}
`

// cProgram compiles a program of three spinning threads, or is nil without a compiler.
func cProgram(t *testing.T) []string {
	cc, err := exec.LookPath("cc")
	if err != nil {
		t.Log("no cc: the C program is left out")
		return nil
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "threads.c")
	os.WriteFile(src, []byte(cThreads), 0o644)
	bin := filepath.Join(dir, "threads")
	if out, err := exec.Command(cc, "-O1", "-pthread", "-o", bin, src).CombinedOutput(); err != nil {
		t.Logf("cc failed, the C program is left out: %v: %s", err, out)
		return nil
	}
	return []string{bin}
}

// retryUndisturbed runs check until it passes on a run others did not disturb, up to
// tries times; a machine never quiet enough skips the test rather than fail it.
func retryUndisturbed(t *testing.T, tries int, run func() (ok, disturbed bool, say string)) {
	t.Helper()
	var says []string
	for range tries {
		ok, disturbed, say := run()
		if ok {
			return
		}
		says = append(says, say)
		if !disturbed {
			t.Fatalf("undisturbed and wrong: %s", strings.Join(says, "; "))
		}
	}
	t.Skipf("other programs disturbed every try: %s", strings.Join(says, "; "))
}

func sayFigures(r watched) string {
	return fmt.Sprintf("cpu %v, gil wait %v, %.0f switches/s, others %v (disturbed %v)",
		r.st.CPU, r.st.GILWait, r.st.GILSwitchesPerS, othersOf(r.st), r.disturbd)
}

func placedOf(st timeline.Stats) time.Duration {
	var placed time.Duration
	for _, c := range st.PerCore {
		placed += c.Placed
	}
	return placed
}

func othersOf(st timeline.Stats) any {
	if st.Others == nil {
		return nil
	}
	return st.Others.CPU
}

// Sampling mode places the CPU of processes it never saw on the core they ran on,
// when nothing else keeps the cores busy: a loop of short processes pinned to one
// core has nearly all its placed CPU there.
func TestUnseenCPUIsPlacedWhereItRan(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: real programs for seconds")
	}
	need(t, "sh", "awk", "taskset")
	cpus := UsableCPUs()
	if len(cpus) < 2 {
		t.Skip("one core: nowhere else to place it")
	}
	core := cpus[len(cpus)-1]
	loop := `for i in $(seq 200); do awk 'BEGIN{for(i=0;i<20000;i++)s+=i}'; done`
	retryUndisturbed(t, 3, func() (bool, bool, string) {
		r := watchProgram(t, SourceSampling, false, "taskset", "-c", strconv.Itoa(core), "sh", "-c", loop)
		var there time.Duration
		for _, c := range r.st.PerCore {
			if c.CPU == core {
				there = c.Placed
			}
		}
		placed := placedOf(r.st)
		say := fmt.Sprintf("placed %v, %v of it on core %d; %s", placed, there, core, sayFigures(r))
		return placed > 0 && there >= placed*8/10, r.disturbd, say
	})
}
