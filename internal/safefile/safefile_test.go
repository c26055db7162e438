package safefile

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Tests named TestHostileNN… are issue 28's hostile cases, NN its item number.

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// Issue 28 #1: an output goes only to a regular file or a new path; a symlink, FIFO
// or device there is refused with a line naming it, and nothing is written through.
func TestHostile01OutputsRefuseWhatIsNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	os.WriteFile(victim, []byte("precious"), 0o644)
	link := filepath.Join(dir, "link.json")
	os.Symlink(victim, link)
	fifo := filepath.Join(dir, "fifo.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, want string }{
		{link, "is a symlink: not written"},
		{fifo, "is a FIFO: not written"},
		{"/dev/null", "is a character device: not written"},
		{dir, "is a directory: not written"},
		{filepath.Join(dir, "missing", "t.json"), "the directory " + filepath.Join(dir, "missing") + " does not exist"},
	} {
		if err := CheckOutput(c.path); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("CheckOutput(%s) = %v, want %q", c.path, err, c.want)
		}
		if err := WriteOutput(c.path, writeString("x")); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("WriteOutput(%s) = %v, want %q", c.path, err, c.want)
		}
	}
	if got, _ := os.ReadFile(victim); string(got) != "precious" {
		t.Errorf("the symlink's target was written: %q", got)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symlink was replaced")
	}
	// A regular file is truncated and written; a new path is created.
	if err := WriteOutput(victim, writeString("new")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(victim); string(got) != "new" {
		t.Errorf("regular file holds %q", got)
	}
	fresh := filepath.Join(dir, "fresh.json")
	if err := WriteOutput(fresh, writeString("made")); err != nil {
		t.Fatal(err)
	}
	// A failed write leaves no file it created.
	failed := filepath.Join(dir, "failed.json")
	if err := WriteOutput(failed, func(io.Writer) error { return io.ErrShortWrite }); err == nil {
		t.Fatal("a failing writer reported success")
	}
	if _, err := os.Lstat(failed); err == nil {
		t.Errorf("a failed output was left behind")
	}
}

// Issue 28 #3, #16: the app's own files go in a directory it made 0700 and checked; a
// cache directory another user owns is not used, one the user owns is made private,
// and when there is no usable cache directory a private temporary one takes its place.
func TestHostile03PrivateDirectories(t *testing.T) {
	base := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", base)
	t.Setenv("HOME", base)
	os.Mkdir(filepath.Join(base, "coreography"), 0o777)
	os.Chmod(filepath.Join(base, "coreography"), 0o777)
	dir, err := CacheDir()
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(dir); st.Mode().Perm() != 0o700 {
		t.Errorf("cache dir mode %v, want 0700", st.Mode().Perm())
	}
	path, err := WriteFile("x.json", []byte("{}"), 0o600)
	if err != nil || filepath.Dir(path) != dir {
		t.Fatalf("WriteFile: %s, %v", path, err)
	}
	if data, err := ReadFile("x.json", 100); err != nil || string(data) != "{}" {
		t.Errorf("ReadFile: %q, %v", data, err)
	}
	// A symlink planted where a cached file goes is not followed.
	os.Remove(path)
	os.Symlink("/etc/hostname", path)
	if _, err := ReadFile("x.json", 1<<20); err == nil {
		t.Errorf("a symlink in the cache was read through")
	}
	// A cache directory that is a file (or full, or read-only) falls back to a private
	// temporary directory, removed by Cleanup.
	notDir := filepath.Join(base, "file")
	os.WriteFile(notDir, nil, 0o600)
	t.Setenv("XDG_CACHE_HOME", notDir)
	defer Cleanup()
	path, err = WriteFile("driver.py", []byte("print(1)"), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Dir(path)
	if st, _ := os.Lstat(tmp); !st.IsDir() || st.Mode().Perm() != 0o700 || !strings.HasPrefix(filepath.Base(tmp), "coreography-") {
		t.Errorf("fallback %s: %v", tmp, st.Mode())
	}
	if data, err := ReadFile("driver.py", 100); err != nil || !bytes.Equal(data, []byte("print(1)")) {
		t.Errorf("ReadFile from the fallback: %q, %v", data, err)
	}
	Cleanup()
	if _, err := os.Stat(tmp); err == nil {
		t.Errorf("Cleanup left %s", tmp)
	}
}

// Issue 28 #3: as root, a cache directory another user made (or owns) is refused.
func TestHostile03CacheDirOfAnotherUser(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give a directory to another user")
	}
	base := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", base)
	theirs := filepath.Join(base, "coreography")
	os.Mkdir(theirs, 0o700)
	os.Chown(theirs, 65534, 65534)
	if _, err := CacheDir(); err == nil || !strings.Contains(err.Error(), "owned by uid 65534") {
		t.Fatalf("CacheDir = %v, want a refusal naming the owner", err)
	}
	defer Cleanup()
	path, err := WriteFile("calibration.json", []byte("{}"), 0o600)
	if err != nil || strings.HasPrefix(path, theirs) {
		t.Errorf("WriteFile went to %s (%v), not a private directory", path, err)
	}
}

// Issue 28 #17: a cache write that fails (here the name is taken by a directory, so
// the rename fails) leaves no calibration.json.tmp* behind.
func TestHostile17NoStrayTemporaryFiles(t *testing.T) {
	base := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", base)
	dir, err := CacheDir()
	if err != nil {
		t.Fatal(err)
	}
	os.Mkdir(filepath.Join(dir, "calibration.json"), 0o700)
	os.WriteFile(filepath.Join(dir, "calibration.json", "x"), nil, 0o600)
	defer Cleanup()
	if _, err := WriteFile("calibration.json", []byte("{}"), 0o600); err != nil {
		t.Logf("WriteFile: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*.tmp*"))
	hidden, _ := filepath.Glob(filepath.Join(dir, ".*tmp*"))
	if len(left)+len(hidden) > 0 {
		t.Errorf("temporary files left behind: %v %v", left, hidden)
	}
}
