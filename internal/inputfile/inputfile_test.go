//go:build unix

package inputfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "zero.md")
	if err := os.Symlink("/dev/zero", link); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, kind string }{
		{"/dev/zero", "character device"}, {link, "character device"}, {fifo, "FIFO"}, {dir, "directory"},
	} {
		done := make(chan error, 1)
		go func() { _, err := ReadFile(c.path, 1<<20); done <- err }()
		select {
		case err := <-done:
			if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), c.kind) || !strings.HasPrefix(err.Error(), c.path) {
				t.Errorf("ReadFile(%s) = %v, want a refusal naming the file and %q", c.path, err, c.kind)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("ReadFile(%s) blocked", c.path)
		}
	}
}

func TestSizeCap(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, make([]byte, 1001), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(path, 1000); !errors.Is(err, ErrTooLarge) {
		t.Errorf("1001 bytes under a 1000 cap: err = %v, want ErrTooLarge", err)
	}
	data, err := ReadFile(path, 1001)
	if err != nil || len(data) != 1001 {
		t.Errorf("1001 bytes under a 1001 cap: %d bytes, %v", len(data), err)
	}
	if _, err := ReadFile(filepath.Join(t.TempDir(), "missing"), 10); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// A file that grows between the size check and the read is still cut at the cap.
func TestGrowsWhileRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	os.WriteFile(path, make([]byte, 10), 0o600)
	f, err := Open(path, 100)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	os.WriteFile(path, make([]byte, 500), 0o600)
	buf := make([]byte, 1000)
	var total int
	for {
		n, err := f.Read(buf)
		total += n
		if err != nil {
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("err = %v after %d bytes, want ErrTooLarge", err, total)
			}
			break
		}
	}
	if n, err := f.Read(buf); n != 0 || !errors.Is(err, ErrTooLarge) {
		t.Errorf("a read after the cap: %d, %v", n, err)
	}
	if total > 100 {
		t.Errorf("read %d bytes past a 100-byte cap", total)
	}
}

// Issue 28 #17: a file a few bytes over a limit says by how much, not "1 MB is more
// than the 1 MB limit".
func TestHostile17OverTheLimitByLittle(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, make([]byte, 1<<20+1), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := ReadFile(path, 1<<20)
	if err == nil || !strings.Contains(err.Error(), "1048577 bytes is more than the 1 MB limit (1048576 bytes)") {
		t.Errorf("err = %v", err)
	}
}
