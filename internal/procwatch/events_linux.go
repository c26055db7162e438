package procwatch

import (
	"encoding/binary"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"github.com/coreography/coreography/internal/timeline"
)

// readEvery is how often the event reader empties the rings: each pass costs a few
// system calls per core however many records wait, and a lane is drawn this late.
const readEvery = 10 * time.Millisecond

// record is one tracepoint hit, decoded.
type record struct {
	t        int64
	cpu      int16
	pid, tid int32 // the task that was running when it fired (the waker, the forker…)
	kind     int   // index into schedEvents
	a, b     int32 // switch: prev, next; waking: wakee; fork: child; exec: pid
	state    int64 // switch: prev_state
	name     string
}

// eventReader reads the scheduler's tracepoints on every core and turns the records
// of one process tree into lanes: every switch, wake-up, fork, exec and exit, exact.
type eventReader struct {
	rings  []*ring
	tps    []tracepoint
	byID   map[uint64]int
	sched  *schedState
	stop   chan struct{}
	done   chan struct{}
	cpuNs  int64
	lost   int64
	begin  atomic.Int64
	held   []record // read but later than a core's last read: the next pass's
	mu     sync.Mutex
	pids   []int32
	closed bool
}

// openEvents opens the tracepoints on every core, before the tree to watch exists.
func openEvents() (*eventReader, error) {
	if err := eventsAllowed(); err != nil {
		return nil, err
	}
	root, _ := tracefs()
	e := &eventReader{byID: map[uint64]int{}, stop: make(chan struct{}), done: make(chan struct{})}
	for i, name := range schedEvents {
		tp, err := readFormat(root, name)
		if err != nil {
			return nil, err
		}
		e.tps = append(e.tps, tp)
		e.byID[tp.id] = i
	}
	for cpu := range runtime.NumCPU() {
		r, err := openRing(cpu, e.tps)
		if err != nil {
			e.close()
			return nil, err
		}
		e.rings = append(e.rings, r)
	}
	return e, nil
}

func (e *eventReader) close() {
	if e == nil || e.closed {
		return
	}
	e.closed = true
	for _, r := range e.rings {
		r.close()
	}
}

// start follows the tree rooted at pid, which was started after openEvents.
func (e *eventReader) start(pid int, rec *timeline.Recorder, obs Observer) *eventReader {
	e.sched = newSchedState(rec, obs, e)
	e.sched.track(int32(pid), int32(pid), false)
	e.begin.Store(1<<63 - 1)
	go e.loop()
	return e
}

// attach follows a running tree: every thread of pid and its descendants now, as
// running (or not) from the start of the watch, and whatever they start later.
func (e *eventReader) attach(pid int, rec *timeline.Recorder, obs Observer) *eventReader {
	e.sched = newSchedState(rec, obs, e)
	pp := parents()
	in := map[int]bool{pid: true}
	for grew := true; grew; {
		grew = false
		for p, parent := range pp {
			if !in[p] && in[parent] {
				in[p], grew = true, true
			}
		}
	}
	buf := make([]byte, 8192)
	for p := range in {
		for _, name := range listDir("/proc/"+itoa(p)+"/task", buf) {
			if tid, ok := atoi(name); ok {
				e.sched.track(int32(p), int32(tid), true)
			}
		}
	}
	e.begin.Store(1<<63 - 1)
	go e.loop()
	return e
}

// SetBegin says when the run begins: nothing before it is counted.
func (e *eventReader) SetBegin(t int64) { e.begin.Store(t) }

// Stop reads what is left, ends every lane, closes the rings and returns the
// reader's own CPU.
func (e *eventReader) Stop() time.Duration {
	close(e.stop)
	<-e.done
	e.close()
	return time.Duration(e.cpuNs)
}

// PIDs lists every process of the tree seen.
func (e *eventReader) PIDs() []int32 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.pids)
}

// RootExec is when the root last replaced its program, as the exec event said.
func (e *eventReader) RootExec() (int64, string, time.Duration, bool) {
	s := e.sched
	if s == nil || s.rootExec == 0 {
		return 0, "", 0, false
	}
	return s.rootExec, s.rootComm, time.Duration(s.rootExecCPU - s.cpu0), true
}

func (e *eventReader) loop() {
	defer close(e.done)
	runtime.LockOSThread() // its CPU clock is then the reader's cost
	defer runtime.UnlockOSThread()
	start := threadCPU()
	e.sched.cpu0 = start
	tick := time.NewTicker(readEvery)
	defer tick.Stop()
	for {
		select {
		case <-e.stop:
			e.pass(1 << 62)
			e.sched.closeAll(timeline.Now())
			e.cpuNs = threadCPU() - start
			return
		case <-tick.C:
			e.pass(timeline.Now())
		}
	}
}

// pass reads every ring and applies, in time order, every record up to the moment
// the first ring was read: a later one may still be missing from a ring read before.
func (e *eventReader) pass(limit int64) {
	cut := min(timeline.Now(), limit)
	batch := e.held
	var scratch []byte
	for _, r := range e.rings {
		scratch = r.drain(scratch, func(kind uint32, body []byte) {
			switch kind {
			case unix.PERF_RECORD_SAMPLE:
				if rec, ok := e.decode(body); ok {
					batch = append(batch, rec)
				}
			case unix.PERF_RECORD_LOST:
				if len(body) >= 16 {
					e.lost += int64(binary.LittleEndian.Uint64(body[8:]))
				}
			}
		})
	}
	slices.SortStableFunc(batch, func(a, b record) int { return int(min(max(a.t-b.t, -1), 1)) })
	k := 0
	for ; k < len(batch) && (batch[k].t <= cut || limit == 1<<62); k++ {
		e.sched.learn(&batch[k])
	}
	for i := range k {
		e.sched.apply(&batch[i])
	}
	e.held = append(e.held[:0:0], batch[k:]...)
	e.sched.sweep(cut)
}

// decode reads a sample: pid and tid, time, cpu, then the raw tracepoint record.
func (e *eventReader) decode(b []byte) (record, bool) {
	if len(b) < 28 {
		return record{}, false
	}
	le := binary.LittleEndian
	r := record{pid: int32(le.Uint32(b)), tid: int32(le.Uint32(b[4:])), t: int64(le.Uint64(b[8:])), cpu: int16(le.Uint32(b[16:]))}
	size := int(le.Uint32(b[24:]))
	raw := b[28:]
	if size > len(raw) || size < 8 {
		return record{}, false
	}
	raw = raw[:size]
	kind, ok := e.byID[uint64(le.Uint16(raw))]
	if !ok {
		return record{}, false
	}
	r.kind = kind
	return r, e.fields(&r, raw)
}

// fields reads the fields a record's kind needs, where its format put them.
func (e *eventReader) fields(r *record, raw []byte) bool {
	f := e.tps[r.kind].fields
	num := func(name string) (int64, bool) {
		at, ok := f[name]
		if !ok || at.offset+at.size > len(raw) {
			return 0, false
		}
		switch at.size {
		case 4:
			return int64(int32(binary.LittleEndian.Uint32(raw[at.offset:]))), true
		case 8:
			return int64(binary.LittleEndian.Uint64(raw[at.offset:])), true
		}
		return 0, false
	}
	var ok1, ok2 bool = true, true
	var a, b int64
	switch schedEvents[r.kind] {
	case "sched_switch":
		a, ok1 = num("prev_pid")
		b, ok2 = num("next_pid")
		r.state, _ = num("prev_state")
	case "sched_waking":
		a, ok1 = num("pid")
	case "sched_process_fork":
		a, ok1 = num("child_pid")
	case "sched_process_exec":
		a, ok1 = num("pid")
		r.name = dataLoc(raw, f["filename"])
	case "sched_process_exit":
		a, ok1 = num("pid")
	}
	r.a, r.b = int32(a), int32(b)
	return ok1 && ok2
}

// dataLoc reads a __data_loc string: its field holds the string's offset and length.
func dataLoc(raw []byte, at fieldAt) string {
	if at.size != 4 || at.offset+4 > len(raw) {
		return ""
	}
	loc := binary.LittleEndian.Uint32(raw[at.offset:])
	off, n := int(loc&0xffff), int(loc>>16)
	if off+n > len(raw) {
		return ""
	}
	s := raw[off : off+n]
	for len(s) > 0 && s[len(s)-1] == 0 {
		s = s[:len(s)-1]
	}
	return string(s)
}
