package safefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// Private directories are checked for this: a directory, not a symlink, owned by the
// user, and writable by no one else. Another user who could write in it could swap a
// cached figure or the driver between the app's check and its use.
var (
	tempMu  sync.Mutex
	tempDir string // the process's private fallback, made on first need
)

// CacheDir is the app's private cache directory, $XDG_CACHE_HOME/coreography (or the
// platform's equivalent), created with mode 0700 and checked; "" with the reason when
// there is none or it is not private.
func CacheDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return ensurePrivate(filepath.Join(base, "coreography"))
}

// TempDir is a private directory made for this process with os.MkdirTemp (mode 0700),
// for when the cache directory is missing, not private, full or read-only. Cleanup
// removes it.
func TempDir() (string, error) {
	tempMu.Lock()
	defer tempMu.Unlock()
	if tempDir != "" {
		return tempDir, nil
	}
	dir, err := os.MkdirTemp("", "coreography-")
	if err != nil {
		return "", fmt.Errorf("making a private temporary directory: %w", err)
	}
	if _, err := ensurePrivate(dir); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	tempDir = dir
	return dir, nil
}

// Cleanup removes the private temporary directory, if one was made. The command line
// calls it on the way out.
func Cleanup() {
	tempMu.Lock()
	defer tempMu.Unlock()
	if tempDir != "" {
		os.RemoveAll(tempDir)
		tempDir = ""
	}
}

// ensurePrivate makes dir (mode 0700) if it is missing and checks it is private,
// tightening the mode of one the user owns (an older version made it 0755).
func ensurePrivate(dir string) (string, error) {
	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		return "", err
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", err
	}
	st, err := os.Lstat(dir)
	if err != nil {
		return "", err
	}
	if st.IsDir() {
		// Every directory above must be beyond another user's reach too, or they could
		// swap this one between the app's check and its use.
		if err := ancestorsSafe(filepath.Dir(dir)); err != nil {
			return "", fmt.Errorf("%s: %w, so not used for the app's files", dir, err)
		}
	}
	if !st.IsDir() {
		return "", fmt.Errorf("%s: not a directory (%s), so not used for the app's files", dir, kindOf(st.Mode()))
	}
	if err := ownedByMe(st); err != nil {
		return "", fmt.Errorf("%s: %w, so not used for the app's files", dir, err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return "", fmt.Errorf("%s: others may use it, and it could not be made private: %w", dir, err)
		}
	}
	return dir, nil
}

// dirs is where the app's files are looked for: the cache directory when it is
// private, then the process's private temporary directory when one was made.
func dirs() []string {
	var out []string
	if dir, err := CacheDir(); err == nil {
		out = append(out, dir)
	}
	tempMu.Lock()
	if tempDir != "" {
		out = append(out, tempDir)
	}
	tempMu.Unlock()
	return out
}
