package e2e

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// signalTrials is how many times each signal is sent on each screen. One keeps CI
// short; COREOGRAPHY_SIGNAL_TRIALS=20 is the full check of issue 7.
func signalTrials() int {
	if n, err := strconv.Atoi(os.Getenv("COREOGRAPHY_SIGNAL_TRIALS")); err == nil && n > 0 {
		return n
	}
	return 1
}

// INT, TERM and HUP sent to the TUI at a random moment, on each screen, end it within
// 2 s with status 128+signal, the terminal back in cooked mode and no process left.
func TestSignalsEndTheTUIPromptly(t *testing.T) {
	trace := filepath.Join(t.TempDir(), "trace.json")
	if out, err := exec.Command(binary, "run", "--model", "threads", "--workers", "2", "--tasks", "4*cpu(20ms)", "--trace", trace).CombinedOutput(); err != nil {
		t.Fatalf("making a trace to replay: %v\n%s", err, out)
	}
	screens := []struct{ name, args, keys string }{
		{"home", "", ""},
		{"player", "open gil", ""},
		{"lab mid-run", "lab --model processes --workers 2 --tasks '16*cpu(150ms)'", "r"},
		{"replay", "replay " + trace, ""},
	}
	sigs := []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}
	p := newPane(t)
	for range signalTrials() {
		for _, sc := range screens {
			for _, sig := range sigs {
				p.signalTrial(sc.args, sc.keys, sig)
			}
		}
	}
}

func (p *pane) signalTrial(args, keys string, sig syscall.Signal) {
	t := p.t
	t.Helper()
	// In a subshell: an interactive sh whose child dies of SIGINT (a signal that
	// lands before the app has its handler, in its first milliseconds) drops the rest
	// of the line, and the test would see no status.
	p.typeLine("clear; (" + strconv.Quote(binary) + " " + args + "; echo rc=$?)")
	app := p.appPID(5 * time.Second)
	if keys != "" {
		// Wait until the app reads the terminal, or the key lands in the shell.
		p.waitFor("the app's screen", 10*time.Second, func(s string) bool {
			return !strings.Contains(s, "rc=") && strings.Count(s, "\n") > 3 && !strings.Contains(s, "echo rc")
		})
		p.keys(keys)
	}
	time.Sleep(time.Duration(rand.IntN(800)) * time.Millisecond) // a random moment
	sent := time.Now()
	if err := syscall.Kill(app, sig); err != nil {
		t.Fatalf("kill -%d %d: %v", sig, app, err)
	}
	want := fmt.Sprintf("rc=%d", 128+int(sig))
	s := p.waitFor(fmt.Sprintf("%s to end %q", sig, args), 10*time.Second, func(s string) bool { return strings.Contains(s, "rc=") })
	took := time.Since(sent)
	if !strings.Contains(s, want) {
		t.Errorf("%s on %q: the shell shows %q, want %s", sig, args, lastLine(s, "rc="), want)
	}
	if took > 2*time.Second+300*time.Millisecond { // the polling adds up to 100 ms
		t.Errorf("%s on %q: took %s to end, want within 2s", sig, args, took)
	}
	if pids := pidsOf(binary); len(pids) > 0 {
		t.Errorf("%s on %q: processes left: %v", sig, args, pids)
	}
	// A key the app had not read when the signal came is the shell's now: ^U drops it.
	p.keys("C-u")
	// The typed line says TT''Y, its output TTY: only the output matches.
	p.typeLine("echo TT''Y: $(stty -a | tr ' ;' '\\n\\n' | grep -x -e -icanon -e -echo -e icanon -e echo)")
	s = p.waitFor("stty", 5*time.Second, contains("TTY: "))
	// Typed before the shell printed its prompt, the line echoes above the prompt and
	// the output follows it: "e2e-shell$ TTY: icanon echo" is as good.
	if got := lastLine(s, "TTY: "); !strings.HasSuffix(got, "TTY: icanon echo") {
		t.Errorf("%s on %q: terminal not restored: stty says %q", sig, args, got)
	}
}

// appPID waits for the app and returns its pid: the oldest process of the binary
// (its workers start after it).
func (p *pane) appPID(timeout time.Duration) int {
	p.t.Helper()
	return p.pidOf(binary, timeout)
}

// pidOf is the pid of the oldest process running the program at path, once it runs.
func (p *pane) pidOf(path string, timeout time.Duration) int {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		out, _ := exec.Command("pgrep", "-o", "-f", regexp.QuoteMeta(path)).Output()
		if f := strings.Fields(string(out)); len(f) > 0 {
			pid, _ := strconv.Atoi(f[0])
			return pid
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.t.Fatalf("%s did not start within %s", filepath.Base(path), timeout)
	return 0
}

func lastLine(s, containing string) string {
	lines := strings.Split(s, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.Contains(lines[i], containing) {
			return strings.TrimSpace(lines[i])
		}
	}
	return ""
}

// Ctrl-C pressed in the TUI (a key in raw mode, not a signal) exits 130, as in run.
func TestCtrlCExits130(t *testing.T) {
	p := newPane(t)
	p.typeLine("clear; (" + strconv.Quote(binary) + " lab; echo rc=$?)")
	p.waitFor("the lab", 10*time.Second, contains("Lab", "ready"))
	p.keys("C-c")
	s := p.waitFor("the app to end", 10*time.Second, contains("rc="))
	if !strings.Contains(s, "rc=130") {
		t.Errorf("Ctrl-C: %q, want rc=130", lastLine(s, "rc="))
	}
}

// A terminal that closes without a SIGHUP reaching the app (here: the app is in a
// session of its own, as under setsid or strace) ends it all the same, workers
// included: its next frame's write fails, and a closed terminal is an end like q.
// Before, it drew into the dead terminal for ever.
func TestClosedTerminalEndsTheApp(t *testing.T) {
	if _, err := exec.LookPath("setsid"); err != nil {
		t.Skip("needs setsid (util-linux) to run the app out of reach of the terminal's SIGHUP")
	}
	p := newPane(t)
	p.typeLine(fmt.Sprintf("setsid -w %q lab --model processes --workers 2 --tasks '64*cpu(150ms)'", binary))
	p.waitFor("the lab", 10*time.Second, contains("Lab", "ready"))
	p.keys("r")
	p.waitFor("the run to be live", 10*time.Second, contains("running ·"))
	// The workers start one after another as the run begins: wait for both.
	for start := time.Now(); len(pidsOf(binary)) < 3; time.Sleep(20 * time.Millisecond) {
		if pids := pidsOf(binary); time.Since(start) > 3*time.Second {
			t.Fatalf("3 s into the live run, %d processes of the binary (%v); want the app and 2 workers", len(pids), pids)
		}
	}
	p.tmux("kill-server") // the terminal closes under the app
	deadline := time.Now().Add(5 * time.Second)
	for len(pidsOf(binary)) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("5 s after its terminal closed, processes of the binary are still running: %v", pidsOf(binary))
		}
		time.Sleep(50 * time.Millisecond)
	}
}
