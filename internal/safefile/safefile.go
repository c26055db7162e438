// Package safefile writes files where no other local user can redirect them: the app's
// own files (caches, the CPython driver) in a private directory it made and checked,
// and the outputs a user names only to a regular file or a new path.
package safefile

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/coreography/coreography/internal/inputfile"
)

// ReadFile reads name from the app's cache directory (or its private fallback) without
// following a symlink: a regular file of at most limit bytes, owned by the user.
func ReadFile(name string, limit int64) ([]byte, error) {
	var errs []error
	for _, dir := range dirs() {
		data, err := readPrivate(filepath.Join(dir, name), limit)
		if err == nil {
			return data, nil
		}
		errs = append(errs, err)
	}
	return nil, errors.Join(errs...)
}

// Find returns the path of a private copy of name whose bytes are want, if there is one.
func Find(name string, limit int64, want []byte) (string, bool) {
	for _, dir := range dirs() {
		path := filepath.Join(dir, name)
		if data, err := readPrivate(path, limit); err == nil && bytes.Equal(data, want) {
			return path, true
		}
	}
	return "", false
}

func readPrivate(path string, limit int64) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|oNoFollow|oNonBlock, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file (%s)", path, kindOf(st.Mode()))
	}
	if err := ownedByMe(st); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("%s: %d bytes is more than the %d-byte limit", path, st.Size(), limit)
	}
	return io.ReadAll(io.LimitReader(f, limit))
}

// WriteFile saves data as name in the app's cache directory, or in the private
// temporary directory when the cache directory is missing, not private, full or
// read-only, and returns the path written. The file is written under a fresh name
// (O_EXCL) and renamed into place, so a reader never sees half of it; a failed write
// leaves no temporary file behind.
func WriteFile(name string, data []byte, mode fs.FileMode) (string, error) {
	var errs []error
	for _, dir := range append(dirs(), "temp") {
		if dir == "temp" {
			var err error
			if dir, err = TempDir(); err != nil {
				errs = append(errs, err)
				break
			}
		}
		path := filepath.Join(dir, name)
		if err := WriteAtomic(path, mode, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
			errs = append(errs, err)
			continue
		}
		return path, nil
	}
	return "", errors.Join(errs...)
}

// WriteAtomic writes path with write under a fresh name in its directory, then gives
// it mode and renames it into place, so a reader sees the old file or the whole new
// one, never half; a failed write leaves no temporary file behind.
func WriteAtomic(path string, mode fs.FileMode, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	err = errors.Join(write(tmp), tmp.Chmod(mode), tmp.Close())
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// kindOf names a file type for a refusal.
func kindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symlink"
	case m.IsRegular():
		return "a regular file"
	}
	return inputfile.Kind(m)
}

// Outputs the user names (--trace, --log) are written only to a regular file or a new
// path. A symlink is refused rather than followed, and so is a device, FIFO or socket:
// in a shared directory any of them can be another user's trap, and the app has no
// business writing through one. Name the file itself.

// CheckOutput says, before a run starts, whether path can take an output: a new name
// in an existing directory, or an existing regular file. A run that would fail to
// write its output at the end fails here instead.
func CheckOutput(path string) error {
	if path == "" {
		return errors.New("give a file name")
	}
	st, err := os.Lstat(path)
	switch {
	case err == nil:
		if !st.Mode().IsRegular() {
			return refused(path, st.Mode())
		}
		return nil
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	dir := filepath.Dir(path)
	dst, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("%s: the directory %s does not exist", path, dir)
	}
	if !dst.IsDir() {
		return fmt.Errorf("%s: %s is not a directory", path, dir)
	}
	return nil
}

func refused(path string, m fs.FileMode) error {
	return fmt.Errorf("%s is %s: not written; outputs go only to a regular file or a new path", path, kindOf(m))
}

// CreateOutput opens path for writing as CheckOutput allows, without following a
// symlink and without blocking on a FIFO, and truncates it. A file it had to create is
// removed by Abort.
func CreateOutput(path string) (*Output, error) {
	f, created, err := openOutput(path)
	if err != nil {
		return nil, err
	}
	return &Output{f: f, w: bufio.NewWriterSize(f, 64<<10), created: created}, nil
}

// OpenOutputFile is CreateOutput for a file another process writes to (a watched
// command's log): the open file itself, unbuffered.
func OpenOutputFile(path string) (*os.File, error) {
	f, _, err := openOutput(path)
	return f, err
}

func openOutput(path string) (f *os.File, created bool, err error) {
	if err := CheckOutput(path); err != nil {
		return nil, false, err
	}
	created = true
	f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|oNoFollow|oNonBlock, 0o644)
	if errors.Is(err, fs.ErrExist) {
		created = false
		f, err = os.OpenFile(path, os.O_WRONLY|oNoFollow|oNonBlock, 0)
	}
	if err != nil {
		if st, lerr := os.Lstat(path); lerr == nil && !st.Mode().IsRegular() {
			return nil, false, refused(path, st.Mode()) // swapped after the check
		}
		return nil, false, err
	}
	// What was opened is what counts: a name swapped for a FIFO or device between the
	// check and the open is refused here.
	st, err := f.Stat()
	if err == nil && !st.Mode().IsRegular() {
		err = refused(path, st.Mode())
	}
	if err == nil && !created {
		err = f.Truncate(0)
	}
	if err != nil {
		f.Close()
		return nil, false, err
	}
	return f, created, nil
}

// Output is an output file being written.
type Output struct {
	f       *os.File
	w       *bufio.Writer
	created bool
}

func (o *Output) Write(p []byte) (int, error) { return o.w.Write(p) }

// Close flushes and closes the file.
func (o *Output) Close() error {
	return errors.Join(o.w.Flush(), o.f.Close())
}

// Abort closes the file and removes it if this Output created it, so a failed write
// leaves no truncated output under a new name.
func (o *Output) Abort() {
	o.f.Close()
	if o.created {
		os.Remove(o.f.Name())
	}
}

// WriteOutput writes path with write, as CreateOutput allows.
func WriteOutput(path string, write func(io.Writer) error) error {
	out, err := CreateOutput(path)
	if err != nil {
		return err
	}
	if err := write(out); err != nil {
		out.Abort()
		return err
	}
	if err := out.Close(); err != nil {
		if out.created {
			os.Remove(path)
		}
		return err
	}
	return nil
}
