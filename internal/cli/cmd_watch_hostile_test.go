package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The default log is no predictable path in the temp directory: a symlink planted
// where the old name was is never written through, a successful watch leaves
// nothing behind, and a failed one keeps its output in a private 0700 directory
// and says where.
func TestHostile02WatchLog(t *testing.T) {
	sh := shForWatch(t)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	victim := filepath.Join(t.TempDir(), "victim")
	os.WriteFile(victim, []byte("precious"), 0o644)
	for pid := os.Getpid(); pid < os.Getpid()+1; pid++ {
		os.Symlink(victim, filepath.Join(tmp, "coreography-watch-"+strconv.Itoa(pid)+".log"))
	}
	var out, errOut bytes.Buffer
	if code := execute(context.Background(), []string{"watch", "--json", "--", sh, "-c", "echo overwritten"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if data, _ := os.ReadFile(victim); string(data) != "precious" {
		t.Fatalf("the planted symlink was written through: %q", data)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "coreography-watch-*")); len(left) != 1 {
		t.Fatalf("a successful watch left %v in the temp directory (only the planted link may stay)", left)
	}
	out.Reset()
	errOut.Reset()
	if code := execute(context.Background(), []string{"watch", "--json", "--", sh, "-c", "echo kept; exit 4"}, &out, &errOut); code != 4 {
		t.Fatalf("exit %d, want the command's 4", code)
	}
	var got map[string]any
	json.Unmarshal(out.Bytes(), &got)
	log, _ := got["log"].(string)
	st, err := os.Stat(filepath.Dir(log))
	if err != nil || st.Mode().Perm() != 0o700 || !strings.Contains(errOut.String(), log) {
		t.Fatalf("a failed watch's log %q (dir %v, %v) not kept privately and named on stderr %q", log, st, err, errOut.String())
	}
	if data, _ := os.ReadFile(log); string(data) != "kept\n" {
		t.Fatalf("log holds %q", data)
	}
	os.RemoveAll(filepath.Dir(log))
	if code := execute(context.Background(), []string{"watch", "--log", filepath.Join(tmp, "coreography-watch-"+strconv.Itoa(os.Getpid())+".log"), "--", sh, "-c", ":"}, &out, &errOut); code != 2 {
		t.Fatalf("--log through a symlink: exit %d, want 2 (refused)", code)
	}
}

// watch ends the whole tree it started after INT, TERM and HUP, a descendant that
// called setsid (a new session, out of the process group) included.
func TestHostile13WatchSetsid(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir()) // a failed command's log is kept: not in the real temp directory
	sh := shForWatch(t)
	if _, err := exec.LookPath("setsid"); err != nil {
		t.Skip("no setsid")
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			pidFile := filepath.Join(t.TempDir(), "pid")
			script := "setsid " + sh + " -c 'echo $$ > " + pidFile + "; exec sleep 60' & sleep 60"
			ctx, cancel := context.WithCancelCause(context.Background())
			go func() {
				for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
					if data, _ := os.ReadFile(pidFile); len(bytes.TrimSpace(data)) > 0 {
						break
					}
				}
				time.Sleep(100 * time.Millisecond)
				cancel(signalError{sig: sig})
			}()
			var out, errOut bytes.Buffer
			code := execute(ctx, []string{"watch", "--json", "--", sh, "-c", script}, &out, &errOut)
			if code != 128+int(sig) {
				t.Errorf("exit %d, want %d", code, 128+int(sig))
			}
			data, _ := os.ReadFile(pidFile)
			pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
			if err != nil {
				t.Fatalf("the setsid child never wrote its pid: %q", data)
			}
			if syscall.Kill(pid, 0) == nil {
				syscall.Kill(pid, syscall.SIGKILL)
				t.Fatalf("the setsid descendant %d outlived the watch", pid)
			}
		})
	}
}

// Text output strips control characters from what the watched program named itself.
func TestHostile14WatchStrip(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir()) // a failed command's log is kept: not in the real temp directory
	sh := shForWatch(t)
	evil := filepath.Join(t.TempDir(), "x\x1b]0;pwn\x07\x1b[2J")
	data, _ := os.ReadFile(sh)
	if err := os.WriteFile(evil, data, 0o755); err != nil {
		t.Skipf("cannot copy sh: %v", err)
	}
	var out, errOut bytes.Buffer
	code := execute(context.Background(), []string{"watch", "--", evil, "-c", "i=0; while [ $i -lt 30000 ]; do i=$((i+1)); done"}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if s := out.String() + errOut.String(); strings.ContainsAny(s, "\x1b\x07") {
		t.Fatalf("text output carries control characters: %q", s)
	}
}

// A watched command killed by a signal reports 128+signal, in JSON and as watch's
// exit status, not -1.
func TestHostile17WatchSignalExit(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir()) // a failed command's log is kept: not in the real temp directory
	sh := shForWatch(t)
	var out, errOut bytes.Buffer
	code := execute(context.Background(), []string{"watch", "--json", "--", sh, "-c", "kill -TERM $$"}, &out, &errOut)
	var got map[string]any
	json.Unmarshal(out.Bytes(), &got)
	if code != 143 || got["exit_code"] != float64(143) {
		t.Fatalf("exit %d, exit_code %v; want 143 both", code, got["exit_code"])
	}
}

// An app forced to exit at once (a second signal, or a stuck shutdown) still ends the
// whole tree it watched: watch hands that to the forced-exit hooks.
func TestHostile13WatchForcedExitEndsTheTree(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir()) // a failed command's log is kept: not in the real temp directory
	sh := shForWatch(t)
	if _, err := exec.LookPath("setsid"); err != nil {
		t.Skip("no setsid")
	}
	pidFile := filepath.Join(t.TempDir(), "pid")
	script := "setsid " + sh + " -c 'echo $$ > " + pidFile + "; exec sleep 60' & sleep 60"
	go func() {
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if data, _ := os.ReadFile(pidFile); len(bytes.TrimSpace(data)) > 0 {
				break
			}
		}
		forcedMu.Lock()
		hooks := slices.Clone(forcedHooks)
		forcedMu.Unlock()
		for _, f := range hooks {
			if f != nil {
				f() // what os.Exit's path runs
			}
		}
	}()
	var out, errOut bytes.Buffer
	code := execute(context.Background(), []string{"watch", "--json", "--", sh, "-c", script}, &out, &errOut)
	if code != 128+int(syscall.SIGKILL) {
		t.Errorf("exit %d, want %d: the tree was killed", code, 128+int(syscall.SIGKILL))
	}
	data, _ := os.ReadFile(pidFile)
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatalf("the setsid child never wrote its pid: %q", data)
	}
	if syscall.Kill(pid, 0) == nil {
		syscall.Kill(pid, syscall.SIGKILL)
		t.Fatalf("the setsid descendant %d outlived the forced exit's hooks", pid)
	}
}
