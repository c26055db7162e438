package pools

import (
	"io"
	"strings"
	"sync"

	"github.com/coreography/coreography/internal/timeline"
)

// What crosses a worker's pipes besides its frames' meaning: how many bytes, and the
// last of what it wrote to stderr.

// counting adds every byte that crosses a worker's pipe to IPCBytes: one atomic add
// per system call, not per frame. It reads from r or writes to w.
type counting struct {
	r   io.Reader
	w   io.Writer
	rec *timeline.Recorder
}

func (c counting) Read(b []byte) (int, error)  { return c.count(c.r.Read(b)) }
func (c counting) Write(b []byte) (int, error) { return c.count(c.w.Write(b)) }

func (c counting) count(n int, err error) (int, error) {
	c.rec.Add(timeline.IPCBytes, int64(n))
	return n, err
}

// tailBuffer keeps the last few KB a worker wrote to stderr, for the error that
// reports its death.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
}

const stderrKeep = 4 << 10

func (t *tailBuffer) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, b...)
	if len(t.buf) > 2*stderrKeep {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-stderrKeep:]...)
	}
	return len(b), nil
}

// lastLines returns up to n last non-empty lines.
func (t *tailBuffer) lastLines(n int) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	lines := strings.Split(strings.TrimSpace(string(t.buf)), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}
