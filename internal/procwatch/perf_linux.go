package procwatch

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The scheduler tracepoints an event reader opens, on every core.
var schedEvents = []string{"sched_switch", "sched_waking", "sched_process_fork", "sched_process_exec", "sched_process_exit"}

// ringPages is the size of each core's ring buffer in pages (plus one for its header):
// room for a few hundred milliseconds of a busy machine's switches between reads.
const ringPages = 256

// tracepoint is one tracepoint's id and where its fields sit in a raw record, as
// tracefs describes it (events/sched/NAME/format).
type tracepoint struct {
	id     uint64
	fields map[string]fieldAt
}

type fieldAt struct{ offset, size int }

// tracefsRoots are where tracefs is found: mounted on its own, or under debugfs.
var tracefsRoots = []string{"/sys/kernel/tracing", "/sys/kernel/debug/tracing"}

// tracefs finds tracefs's event formats. Where it is not mounted and this process
// may, it mounts it where the kernel provides a place for it, as `perf` does.
func tracefs() (string, error) {
	for _, root := range tracefsRoots {
		if _, err := os.Stat(filepath.Join(root, "events/sched/sched_switch/format")); err == nil {
			return root, nil
		}
	}
	if os.Geteuid() == 0 {
		if err := unix.Mount("nodev", tracefsRoots[0], "tracefs", 0, ""); err == nil {
			return tracefsRoots[0], nil
		}
	}
	return "", errors.New("tracefs is not mounted (the scheduler's event formats are read from /sys/kernel/tracing)")
}

// readFormat reads one tracepoint's format file.
func readFormat(root, name string) (tracepoint, error) {
	f, err := os.Open(filepath.Join(root, "events/sched", name, "format"))
	if err != nil {
		return tracepoint{}, err
	}
	defer f.Close()
	return parseFormat(bufio.NewScanner(f))
}

// parseFormat reads "ID: N" and the "field:TYPE NAME;	offset:N;	size:N;" lines.
func parseFormat(sc *bufio.Scanner) (tracepoint, error) {
	tp := tracepoint{fields: map[string]fieldAt{}}
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if id, ok := strings.CutPrefix(line, "ID:"); ok {
			tp.id, _ = strconv.ParseUint(strings.TrimSpace(id), 10, 64)
			continue
		}
		decl, ok := strings.CutPrefix(line, "field:")
		if !ok {
			continue
		}
		parts := strings.Split(decl, ";")
		if len(parts) < 3 {
			continue
		}
		words := strings.Fields(parts[0])
		if len(words) == 0 {
			continue
		}
		name, _, _ := strings.Cut(words[len(words)-1], "[")
		off, err1 := strconv.Atoi(strings.TrimPrefix(strings.TrimSpace(parts[1]), "offset:"))
		size, err2 := strconv.Atoi(strings.TrimPrefix(strings.TrimSpace(parts[2]), "size:"))
		if err1 == nil && err2 == nil {
			tp.fields[name] = fieldAt{off, size}
		}
	}
	if tp.id == 0 {
		return tp, errors.New("no ID in a tracepoint format")
	}
	return tp, sc.Err()
}

// ring is one core's perf ring buffer, which every tracepoint on that core writes to.
type ring struct {
	fds  []int
	mem  []byte
	data []byte
	meta *unix.PerfEventMmapPage
}

// openRing opens every tracepoint in tps on one core, all writing to one mmap'd ring.
func openRing(cpu int, tps []tracepoint) (*ring, error) {
	r := &ring{}
	for _, tp := range tps {
		attr := unix.PerfEventAttr{
			Type:        unix.PERF_TYPE_TRACEPOINT,
			Size:        uint32(unsafe.Sizeof(unix.PerfEventAttr{})),
			Config:      tp.id,
			Sample:      1,
			Sample_type: unix.PERF_SAMPLE_TID | unix.PERF_SAMPLE_TIME | unix.PERF_SAMPLE_CPU | unix.PERF_SAMPLE_RAW,
			Bits:        unix.PerfBitUseClockID,
			Clockid:     unix.CLOCK_MONOTONIC, // the timeline's clock
		}
		fd, err := unix.PerfEventOpen(&attr, -1, cpu, -1, unix.PERF_FLAG_FD_CLOEXEC)
		if err != nil {
			r.close()
			return nil, fmt.Errorf("perf_event_open on core %d: %w", cpu, err)
		}
		r.fds = append(r.fds, fd)
		if len(r.fds) > 1 {
			if err := unix.IoctlSetInt(fd, unix.PERF_EVENT_IOC_SET_OUTPUT, r.fds[0]); err != nil {
				r.close()
				return nil, fmt.Errorf("perf ring on core %d: %w", cpu, err)
			}
			continue
		}
		page := os.Getpagesize()
		mem, err := unix.Mmap(fd, 0, (1+ringPages)*page, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
		if err != nil {
			r.close()
			return nil, fmt.Errorf("perf ring on core %d: %w", cpu, err)
		}
		r.mem, r.data = mem, mem[page:]
		r.meta = (*unix.PerfEventMmapPage)(unsafe.Pointer(&mem[0]))
	}
	return r, nil
}

func (r *ring) close() {
	if r == nil {
		return
	}
	if r.mem != nil {
		unix.Munmap(r.mem)
	}
	for _, fd := range r.fds {
		unix.Close(fd)
	}
}

// drain calls fn with every record written since the last drain (its header's type
// and its body), then hands the space back to the kernel. A record that wraps around
// the end of the ring is copied into scratch first.
func (r *ring) drain(scratch []byte, fn func(kind uint32, body []byte)) []byte {
	head := atomic.LoadUint64(&r.meta.Data_head)
	tail := r.meta.Data_tail
	size := uint64(len(r.data))
	for tail+8 <= head {
		at := tail % size
		hdr := r.wrapped(at, 8, &scratch)
		kind := uint32(hdr[0]) | uint32(hdr[1])<<8 | uint32(hdr[2])<<16 | uint32(hdr[3])<<24
		n := uint64(hdr[6]) | uint64(hdr[7])<<8
		if n < 8 || tail+n > head {
			break
		}
		fn(kind, r.wrapped((at+8)%size, int(n-8), &scratch))
		tail += n
	}
	atomic.StoreUint64(&r.meta.Data_tail, tail)
	return scratch
}

// wrapped is n bytes of the ring from at, copied if they wrap around its end.
func (r *ring) wrapped(at uint64, n int, scratch *[]byte) []byte {
	if int(at)+n <= len(r.data) {
		return r.data[at : int(at)+n]
	}
	*scratch = append((*scratch)[:0], r.data[at:]...)
	*scratch = append(*scratch, r.data[:n-(len(r.data)-int(at))]...)
	return *scratch
}

var (
	allowedOnce sync.Once
	allowedErr  error
)

// eventsAllowed says why the scheduler's events cannot be read here, or nil: it
// opens one tracepoint on one core, once per process.
func eventsAllowed() error {
	allowedOnce.Do(func() {
		root, err := tracefs()
		if err != nil {
			allowedErr = err
			return
		}
		tp, err := readFormat(root, "sched_switch")
		if err != nil {
			allowedErr = err
			return
		}
		r, err := openRing(0, []tracepoint{tp})
		if err != nil {
			allowedErr = fmt.Errorf("the scheduler's events need root, CAP_PERFMON or kernel.perf_event_paranoid ≤ -1: %w", err)
			return
		}
		r.close()
	})
	return allowedErr
}
