package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// threadLane is a lane of a thread other than a process's first: "python3 · tid 4243".
var threadLane = regexp.MustCompile(`· tid \d+`)

// laneMarked is a worker lane's label that starts with its mark: "7 └awk · pid 4242 · …".
var laneMarked = regexp.MustCompile(`^([1-9a-z]) [ └]*\S+ · [pt]id \d+`)

// watch of a shell loop of 30 short processes, at 100×30 and 80×24: the summary line
// (wall, CPU, parallelism) is on screen while it runs and when it is done, the header
// counts processes and threads, every lane shown carries its pid whole, and each
// lane's mark appears on a core lane.
func TestWatchShortProcessesKeepTheSummary(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("watch is Linux only")
	}
	if _, err := exec.LookPath("awk"); err != nil {
		t.Skip("no awk")
	}
	for _, size := range [][2]int{{100, 30}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			p := newPane(t)
			p.tmux("resize-window", "-t", "e2e", "-x", fmt.Sprint(size[0]), "-y", fmt.Sprint(size[1]))
			script := filepath.Join(p.home, "loop.sh")
			loop := "i=0; while [ $i -lt 30 ]; do awk 'BEGIN{for(i=0;i<1500000;i++)s+=i}'; i=$((i+1)); done\n"
			if err := os.WriteFile(script, []byte(loop), 0o644); err != nil {
				t.Fatal(err)
			}
			p.typeLine(binary + " watch -- sh " + script + `; echo "watch exit $?"`)
			live := p.waitFor("the live summary", 20*time.Second, contains("running", "processes", "parallelism"))
			p.checkSize(live, size[1])
			done := p.waitFor("the watch to finish", 60*time.Second, contains("done in", "parallelism"))
			p.checkSize(done, size[1])
			if !strings.Contains(done, "32 processes") && !strings.Contains(done, "31 processes") {
				t.Errorf("the header does not count the loop's processes:\n%s", done)
			}
			var cores []string
			for _, line := range strings.Split(done, "\n") {
				if strings.HasPrefix(line, "core ") {
					cores = append(cores, line[len("core 0 "):])
				}
			}
			marked := 0
			for _, line := range strings.Split(done, "\n") {
				m := laneMarked.FindStringSubmatch(line)
				if m == nil {
					continue
				}
				marked++
				if !strings.Contains(strings.Join(cores, "\n"), m[1]) {
					t.Errorf("lane %q: its mark %s is on no core lane", line[:min(len(line), 30)], m[1])
				}
			}
			if marked < 5 || len(cores) == 0 {
				t.Errorf("%d marked lanes and %d core lanes on screen:\n%s", marked, len(cores), done)
			}
			p.keys("q")
			p.waitFor("watch's exit status", 10*time.Second, contains("watch exit 0"))
		})
	}
}

// checkSize fails if the screen is taller than the pane: the header would scroll off.
func (p *pane) checkSize(screen string, height int) {
	p.t.Helper()
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	if len(lines) > height || !strings.HasPrefix(lines[0], "watch: ") {
		p.t.Errorf("%d lines for a %d-line pane, first %q", len(lines), height, lines[0])
	}
}

// twoThreads is a python3 program of two named threads that compute and sleep in turn.
const twoThreads = `
import threading, time
def work():
    while True:
        x = 0
        for i in range(20000): x += i
        time.sleep(0.01)
for n in ("alpha", "beta"):
    threading.Thread(target=work, name=n, daemon=True).start()
print("ready", flush=True)
time.sleep(120)
`

// watch -p of a running python3 with two threads draws both threads' lanes, named,
// and q detaches: watch exits 0 and the program keeps running.
func TestWatchAttachThenQuitLeavesTheProgram(t *testing.T) {
	needPython3(t)
	py := exec.Command("python3", "-c", twoThreads)
	out, _ := py.StdoutPipe()
	if err := py.Start(); err != nil {
		t.Fatal(err)
	}
	defer py.Process.Kill()
	out.Read(make([]byte, 6)) // "ready": its threads run
	p := newPane(t)
	p.tmux("resize-window", "-t", "e2e", "-x", "100", "-y", "30")
	p.typeLine(fmt.Sprintf(`%s watch -p %d; echo "watch exit $?"`, binary, py.Process.Pid))
	screen := p.waitFor("both threads' lanes", 20*time.Second, func(s string) bool {
		return len(threadLane.FindAllString(s, -1)) >= 2
	})
	if !strings.Contains(screen, fmt.Sprintf("pid %d", py.Process.Pid)) {
		t.Errorf("the program's own lane (pid %d) is not drawn:\n%s", py.Process.Pid, screen)
	}
	p.keys("q")
	p.waitFor("watch's exit status", 10*time.Second, contains("watch exit 0"))
	if err := py.Process.Signal(syscall.Signal(0)); err != nil {
		t.Fatalf("q ended the program watched: %v", err)
	}
}

// q while the command runs ends its whole tree, and watch exits 130, as for Ctrl-C.
func TestWatchQuitEndsTheCommand(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("watch is Linux only")
	}
	p := newPane(t)
	marker := filepath.Join(p.home, "child")
	p.typeLine(binary + " watch -- sh -c 'setsid sleep 300 & echo $! > " + marker + "; sleep 300'; echo \"watch exit $?\"")
	p.waitFor("the command running", 20*time.Second, contains("running", "sleep · pid"))
	p.keys("q")
	p.waitFor("watch's exit status", 10*time.Second, contains("watch exit 130"))
	data, _ := os.ReadFile(marker)
	var pid int
	if _, err := fmt.Sscan(string(data), &pid); err != nil {
		t.Fatalf("the command's child never said its pid: %q", data)
	}
	if syscall.Kill(pid, 0) == nil {
		syscall.Kill(pid, syscall.SIGKILL)
		t.Fatalf("q left the setsid child %d running", pid)
	}
}
