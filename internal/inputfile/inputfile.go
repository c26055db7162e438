// Package inputfile opens the files a user hands the app (lessons, traces, caches) the
// only safe way: regular files only, never blocking on a FIFO, and never reading more
// than a stated number of bytes. A special file (/dev/zero, a FIFO, a directory, a
// socket) or an oversized one is refused with an error that names the file and why.
package inputfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrTooLarge is wrapped by the error for a file over its size cap.
var ErrTooLarge = errors.New("file is too large")

// ErrNotRegular is wrapped by the error for a FIFO, device, directory or socket.
var ErrNotRegular = errors.New("not a regular file")

// Error says which file was refused and why.
type Error struct {
	Path string
	Err  error // the cause: ErrTooLarge, ErrNotRegular (wrapped with detail) or an fs error
}

func (e *Error) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// ReadFile reads the whole of a regular file of at most limit bytes.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := Open(path, limit)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// File is an opened regular file whose reads fail with ErrTooLarge past the cap, even
// if it grows after it was opened.
type File struct {
	f     *os.File
	path  string
	left  int64 // bytes still allowed
	limit int64
}

// Open opens a regular file of at most limit bytes for reading. It never blocks: a
// FIFO is opened non-blocking and refused, so no writer is waited for.
func Open(path string, limit int64) (*File, error) {
	f, err := openNoBlock(path)
	if err != nil {
		return nil, &Error{Path: path, Err: cause(err)}
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, &Error{Path: path, Err: cause(err)}
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, &Error{Path: path, Err: fmt.Errorf("%w (%s): only a regular file is read", ErrNotRegular, Kind(st.Mode()))}
	}
	if st.Size() > limit {
		f.Close()
		return nil, &Error{Path: path, Err: tooLarge(st.Size(), limit)}
	}
	if err := setBlocking(f); err != nil {
		f.Close()
		return nil, &Error{Path: path, Err: err}
	}
	return &File{f: f, path: path, left: limit, limit: limit}, nil
}

// Read reads up to the cap; one byte past it is an error, not a silent truncation.
func (r *File) Read(p []byte) (int, error) {
	if r.left < 0 {
		return 0, r.tooLarge()
	}
	if int64(len(p)) > r.left+1 {
		p = p[:r.left+1]
	}
	n, err := r.f.Read(p)
	if int64(n) > r.left {
		r.left = -1
		return 0, r.tooLarge()
	}
	r.left -= int64(n)
	return n, err
}

func (r *File) tooLarge() error {
	return &Error{Path: r.path, Err: fmt.Errorf("%w: it grew past the %s limit while being read", ErrTooLarge, Size(r.limit))}
}

// Close closes the file.
func (r *File) Close() error { return r.f.Close() }

func tooLarge(size, limit int64) error {
	if Size(size) == Size(limit) { // "1 MB is more than the 1 MB limit" says nothing
		return fmt.Errorf("%w: %d bytes is more than the %s limit (%d bytes)", ErrTooLarge, size, Size(limit), limit)
	}
	return fmt.Errorf("%w: %s is more than the %s limit", ErrTooLarge, Size(size), Size(limit))
}

// Kind names a non-regular file type for a refusal: "a FIFO", "a directory".
func Kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	default:
		return "a special file"
	}
}

// cause drops the path a *fs.PathError repeats, since Error names the file.
func cause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Size spells a byte count in the largest binary unit that keeps it short.
func Size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.3g GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.3g MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.3g KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
