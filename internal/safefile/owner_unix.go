//go:build unix

package safefile

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

const (
	oNoFollow = syscall.O_NOFOLLOW
	oNonBlock = syscall.O_NONBLOCK
)

// ownedByMe refuses a file another user owns.
func ownedByMe(st fs.FileInfo) error {
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	if int(sys.Uid) != os.Geteuid() {
		return fmt.Errorf("owned by uid %d, not by you (uid %d)", sys.Uid, os.Geteuid())
	}
	return nil
}

// ownedByMeOrRoot refuses a directory another user (not root) owns.
func ownedByMeOrRoot(st fs.FileInfo) error {
	if sys, ok := st.Sys().(*syscall.Stat_t); ok && sys.Uid != 0 && int(sys.Uid) != os.Geteuid() {
		return fmt.Errorf("owned by uid %d", sys.Uid)
	}
	return nil
}

// ancestorsSafe checks every directory from dir up to the root, symlinks resolved:
// owned by the user or by root, and writable by no one else unless sticky (as /tmp is,
// where another user cannot rename what is not theirs).
func ancestorsSafe(dir string) error {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return err
	}
	for d := real; ; d = filepath.Dir(d) {
		st, err := os.Stat(d)
		if err != nil {
			return err
		}
		if err := ownedByMeOrRoot(st); err != nil {
			return fmt.Errorf("%s is %w", d, err)
		}
		if st.Mode().Perm()&0o022 != 0 && st.Mode()&fs.ModeSticky == 0 {
			return fmt.Errorf("%s may be written by other users", d)
		}
		if filepath.Dir(d) == d {
			return nil
		}
	}
}
