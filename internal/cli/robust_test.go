package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The one signal owner turns INT, TERM and HUP into a cancelled context whose cause
// gives the conventional status.
func TestSignalsCancelWithStatus(t *testing.T) {
	for sig, want := range map[syscall.Signal]int{syscall.SIGHUP: 129, syscall.SIGINT: 130, syscall.SIGTERM: 143} {
		ctx, stop := withSignals(context.Background())
		syscall.Kill(os.Getpid(), sig)
		select {
		case <-ctx.Done():
		case <-time.After(5 * time.Second):
			t.Fatalf("%v did not cancel the context", sig)
		}
		if got, ok := signalStatus(ctx); !ok || got != want {
			t.Errorf("%v: status %d (%v), want %d", sig, got, ok, want)
		}
		stop()
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// Output that cannot be written is a failure: check >/dev/full exited 0.
func TestLostOutputExitsOne(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	for _, args := range [][]string{{"list"}, {"check", "../../assets/lessons/gil.md"}, {"--help"}} {
		var errOut bytes.Buffer
		if code := execute(context.Background(), args, failingWriter{}, &errOut); code != 1 {
			t.Errorf("%v into a full disk: exit %d, want 1; stderr %q", args, code, errOut.String())
		}
	}
}

// A trace that cannot be written leaves nothing behind: not a truncated file, not
// a temporary one.
func TestTraceWrittenAtomically(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	dir := t.TempDir()
	target := filepath.Join(dir, "trace.json")
	os.Mkdir(target, 0o755) // a directory where the file should go: the rename fails
	os.WriteFile(filepath.Join(target, "keep"), []byte("x"), 0o644)
	var out, errOut bytes.Buffer
	code := execute(context.Background(), []string{"run", "--model", "serial", "--tasks", "cpu(1ms)", "--trace", target}, &out, &errOut)
	if code != 2 || !strings.Contains(errOut.String(), "--trace: "+target+" is a directory: not written") {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	good := filepath.Join(dir, "good.json")
	if code := execute(context.Background(), []string{"run", "--model", "serial", "--tasks", "cpu(1ms)", "--trace", good}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if st, err := os.Stat(good); err != nil || st.Size() == 0 || st.Mode().Perm() != 0o644 {
		t.Errorf("trace: %v %v", st, err)
	}
}
