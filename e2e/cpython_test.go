package e2e

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// needPython3 skips where no python3 is installed: CI machines without one still pass.
func needPython3(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not on PATH: install it (apt install python3) to drive the py-* models")
	}
}

// pythonLeft lists the processes of the py-* runs started from this pane: the driver
// lives in the pane's own cache directory, and fork workers share its command line.
func (p *pane) pythonLeft() []int { return pidsOf(filepath.Join(p.home, "cache", "coreography")) }

// A py-threads run in the lab draws CPython's threads on the cores, with GIL waits,
// and says its states are inferred from samples.
func TestLabPyThreadsOnTheCores(t *testing.T) {
	needPython3(t)
	p := newPane(t)
	p.typeLine(fmt.Sprintf("%q lab --model py-threads --workers 2 --tasks '4*cpu(150ms)'", binary))
	p.waitFor("the lab", 30*time.Second, contains("Lab", "py-threads"))
	p.keys("r")
	// Any core: with the GIL the two threads may spend the whole run on one core, and
	// on a busy machine that was core 1 alone.
	s := p.waitFor("the stats", 90*time.Second, func(s string) bool {
		return contains("speedup", "gil switches")(s) && regexp.MustCompile(`(?m)^core [0-9]+ `).MatchString(s)
	})
	for _, want := range []string{"T1", "T2", "wait-gil", "states inferred from /proc samples"} {
		if !strings.Contains(s, want) {
			t.Errorf("after a py-threads run the screen does not show %q", want)
		}
	}
	// The GIL waits are drawn, not only named in the legend: a T lane holds ░ or, zoomed
	// out, the mixed glyph of alternating states.
	drawn := false
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(line, "T1") || strings.HasPrefix(line, "T2") {
			drawn = drawn || strings.ContainsAny(line, "░▒")
		}
	}
	if !drawn {
		t.Errorf("no GIL wait drawn in the T1/T2 lanes")
	}
	p.quitAndCheck()
	if left := p.pythonLeft(); len(left) > 0 {
		t.Errorf("after q, python processes of the run are left: %v", left)
	}
}

// Ctrl-C in the middle of a py-processes run ends the app and every Python process,
// ProcessPoolExecutor workers included.
func TestLabPyProcessesCtrlCMidRun(t *testing.T) {
	needPython3(t)
	p := newPane(t)
	p.typeLine(fmt.Sprintf("%q lab --model py-processes --workers 2 --tasks '40*cpu(200ms)'", binary))
	p.waitFor("the lab", 30*time.Second, contains("Lab", "py-processes"))
	p.keys("r")
	p.waitFor("worker lanes, live", 90*time.Second, contains("running ·", "w2 "))
	if left := p.pythonLeft(); len(left) < 3 {
		t.Errorf("while live, %d python processes of the run (%v); want the driver and 2 workers", len(left), left)
	}
	p.keys("C-c")
	p.waitForPrompt("the shell to come back after ctrl+c")
	if pids := pidsOf(binary); len(pids) > 0 {
		t.Errorf("after ctrl+c, processes of %s are still running: %v", binary, pids)
	}
	if left := p.pythonLeft(); len(left) > 0 {
		t.Errorf("after ctrl+c, python processes of the run are left: %v", left)
	}
}
