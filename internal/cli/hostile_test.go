//go:build unix

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"charm.land/fang/v2"
)

// Tests named TestHostileNN… are issue 28's hostile cases, NN its item number.

// Issue 28 #6: the event budget is the run's, not 4,096 events a lane: 1,024 simulated
// workers on 256 cores run, and scale reaches 1,024 workers.
func TestHostile06ThousandSimWorkersRun(t *testing.T) {
	out := runCommand(t, "run", "--sim", "--profile", "cpython", "--workers", "1024", "--cores", "256", "--tasks", "2048*cpu(10ms)", "--json")
	var got struct {
		TasksDone int64 `json:"tasks_done"`
		Workers   int
	}
	if err := json.Unmarshal(out, &got); err != nil || got.TasksDone != 2048 || got.Workers != 1024 {
		t.Fatalf("run --sim at 1024 workers: %+v, %v\n%s", got, err, out)
	}
	out = runCommand(t, "scale", "--sim", "--profile", "cpython", "--tasks", "2048*cpu(10ms)", "--workers", "1,512,1024", "--json")
	var rep scaleReport
	if err := json.Unmarshal(out, &rep); err != nil || len(rep.Points) != 3 || rep.Points[2].Workers != 1024 {
		t.Fatalf("scale to 1024 workers: %v\n%s", err, out)
	}
}

// Issue 28 #9: scale's JSON and text are sound when the fit finds no serial part.
func TestHostile09ScaleWithNoSerialPart(t *testing.T) {
	var out bytes.Buffer
	rep := scaleReport{}
	rep.Amdahl.MaxSpeedup = 1 / rep.Amdahl.SerialFraction // +Inf
	if err := json.NewEncoder(&out).Encode(rep); err != nil || !json.Valid(out.Bytes()) {
		t.Fatalf("scale --json of a fit with no cap: %v\n%s", err, out.String())
	}
	line := amdahlLine(rep.Amdahl)
	if strings.Contains(line, "Inf") || !strings.Contains(line, "no cap") {
		t.Errorf("the fit's line says %q", line)
	}
}

func executeCode(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := execute(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// Issue 28 #17: an error that already names the app is not prefixed twice.
func TestHostile17NoDoubledPrefix(t *testing.T) {
	var out bytes.Buffer
	printError(&out, fang.Styles{}, errors.New("coreography: worker 1 died"))
	if got := out.String(); got != "coreography: worker 1 died\n" {
		t.Errorf("printed %q", got)
	}
}

// Issue 28 #1: --trace writes only to a regular file or a new path, checked before the
// run: a symlink, FIFO or device there is refused with a line naming it (/dev/full is
// still a device afterwards), and so is a missing directory, at once.
func TestHostile01TraceRefusesTraps(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	os.WriteFile(victim, []byte("precious"), 0o644)
	link := filepath.Join(dir, "link.json")
	os.Symlink(victim, link)
	fifo := filepath.Join(dir, "fifo.json")
	syscall.Mkfifo(fifo, 0o600)
	for _, c := range []struct{ path, want string }{
		{link, link + " is a symlink: not written"},
		{fifo, fifo + " is a FIFO: not written"},
		{"/dev/full", "/dev/full is a character device: not written"},
		{filepath.Join(dir, "no", "t.json"), "the directory " + filepath.Join(dir, "no") + " does not exist"},
	} {
		start := time.Now()
		code, _, errOut := executeCode("run", "--model", "serial", "--tasks", "cpu(3s)", "--trace", c.path)
		if code != 2 || !strings.Contains(errOut, c.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("--trace %s: exit %d, stderr %q; want 2 and %q", c.path, code, errOut, c.want)
		}
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("--trace %s: refused only after %v, not before the run", c.path, took)
		}
	}
	if got, _ := os.ReadFile(victim); string(got) != "precious" {
		t.Errorf("written through the symlink: %q", got)
	}
	if st, err := os.Lstat("/dev/full"); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		t.Errorf("/dev/full is no longer a device: %v %v", st, err)
	}
}

// Issue 28 #11: a driver that reports 13 of 20 tasks (its other records lost in a
// flood of junk) and then says it is done gives an error naming what is missing, not
// exit 0.
func TestHostile11MissingTasksAreAnError(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	fake := filepath.Join(t.TempDir(), "python-fake")
	script := `#!/bin/sh
if [ "$1" = -c ]; then echo 'coreography-version 3 11 3.11.0'; exit 0; fi
if [ "$2" = probe ]; then echo '{"version":"3.11.0","iters_per_ns":0.05,"hash_bytes_per_ns":1,"gil":true,"start_methods":["fork"]}'; exit 0; fi
read cfg
echo "R 1"
i=0
while [ $i -lt 13 ]; do echo "E $i $$ $$ 2 0 1"; i=$((i+1)); done
i=0
while [ $i -lt 2000 ]; do echo "junk junk junk"; i=$((i+1)); done
echo "D 3"
`
	os.WriteFile(fake, []byte(script), 0o755)
	code, out, errOut := executeCode("run", "--model", "py-serial", "--python", fake, "--tasks", "20*cpu(1ms)", "--json")
	if code != 1 || !strings.Contains(errOut, "13 of its 20 tasks accounted for") || !strings.Contains(errOut, "7 never reported back") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
}

// Issue 28 #6: check passes only what play can run: a lesson of 1,024 simulated
// workers on 256 cores is both checked and played.
func TestHostile06CheckAndPlayAgreeAtScale(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	lesson := filepath.Join(t.TempDir(), "wide.md")
	os.WriteFile(lesson, []byte("---\nid: wide\ntitle: Wide\nminutes: 1\nsummary: A wide model.\n---\n# Wide\n\n"+
		"```experiment\nmodel: threads\nsim: true\nprofile: cpython\nworkers: 1024\ncores: 256\ntasks: 2048*cpu(10ms)\n```\n"), 0o644)
	if code, out, errOut := executeCode("check", lesson); code != 0 {
		t.Fatalf("check: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := executeCode("play", lesson, "--json"); code != 0 || !strings.Contains(out, `"tasks_done":2048`) && !strings.Contains(out, `"tasks_done": 2048`) {
		t.Errorf("play: exit %d\n%.600s\n%s", code, out, errOut)
	}
}
