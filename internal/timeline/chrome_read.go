package timeline

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
	"unicode"
)

// Import limits: what a trace file may describe. Each is far beyond a real run and
// keeps every sum, and the memory import takes, bounded.
const (
	maxImportLanes  = 4096                  // worker lanes (and workers, cores)
	maxImportCPU    = 4095                  // highest core number
	MaxImportSlices = 8 << 20               // worker slices: ~40 bytes each while read, 32 kept
	maxImportSpan   = int64(24 * time.Hour) // from the run's begin to its end
	maxImportEvents = 4 * MaxImportSlices   // traceEvents entries of any kind
	maxImportName   = 256                   // bytes in a lane or run name
	// maxImportClock keeps begin + any offset within int64.
	maxImportClock = math.MaxInt64 / 4
)

// UnmarshalChrome reads a trace written by MarshalChrome.
func UnmarshalChrome(data []byte) (*Trace, error) { return ReadChrome(bytes.NewReader(data)) }

// ReadChrome reads a trace written by WriteChrome, streaming: it keeps each worker
// slice as it is read, in the recorder's compact Event form, and nothing else, so its
// memory is proportional to the slices, with a small constant. Core lanes are derived
// again from the worker lanes, so only process 1's slices are kept. Everything is
// checked before it is believed: errors say which event or field is wrong and why.
func ReadChrome(r io.Reader) (*Trace, error) {
	d := chromeReader{s: newJSONScanner(r)}
	ok := d.s.object(func(key []byte) {
		switch string(key) {
		case "traceEvents":
			d.s.array(d.event)
		case "otherData":
			d.other()
		default:
			d.s.skip(1)
		}
	})
	if ok {
		d.s.end()
	}
	if d.s.err != nil {
		return nil, fmt.Errorf("not a coreography trace: %w", d.s.err)
	}
	if d.err != nil {
		return nil, d.err
	}
	return d.build()
}

// importSlice is a worker slice as read: an Event with T relative to the run's begin
// (otherData, which holds begin, may come after the events) and where it ends.
type importSlice struct {
	Event
	end int64
}

type importLane struct {
	name     string
	chunks   [][]importSlice // filled in fixed chunks: no copying as a lane grows
	n        int
	unsorted bool
	last     int64 // T of the last slice kept
}

const importChunk = 4096

func (l *importLane) add(s importSlice) {
	if l.n > 0 && s.T < l.last {
		l.unsorted = true
	}
	if n := len(l.chunks); n == 0 || len(l.chunks[n-1]) == cap(l.chunks[n-1]) {
		// Chunks grow to importChunk, so a file of many short lanes costs little.
		size := importChunk
		if n == 0 || cap(l.chunks[n-1]) < importChunk {
			size = min(16<<n, importChunk)
		}
		l.chunks = append(l.chunks, make([]importSlice, 0, size))
	}
	c := &l.chunks[len(l.chunks)-1]
	*c = append(*c, s)
	l.n++
	l.last = s.T
}

type chromeReader struct {
	s      *jsonScanner
	err    error // the first semantic error; the scanner's come first
	meta   Meta
	begin  int64
	end    int64
	counts [numCounters]int64
	model  bool // otherData named a model
	lanes  []importLane
	res    *chromeResults // otherData.results (chrome_results.go)
	events int            // traceEvents entries read
	slices int            // worker slices kept

	ev rawChromeEvent // reused
}

func (d *chromeReader) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf(format, args...)
	}
}

// rawChromeEvent is the fields of one traceEvents entry that import reads.
type rawChromeEvent struct {
	name, argName          []byte
	ph                     byte
	pid, tid               int64
	ts, dur                int64 // ns
	task, cpu, apid, atid  int64
	cpuTime                int64
	hasName, hasTs, hasDur bool
}

func (d *chromeReader) other() {
	d.s.object(func(key []byte) {
		switch string(key) {
		case "name":
			d.meta.Name = d.text("otherData.name")
		case "model":
			d.meta.Model = d.text("otherData.model")
			d.model = d.meta.Model != ""
		case "source":
			d.meta.Source = d.text("otherData.source")
		case "profile":
			d.meta.Profile = d.text("otherData.profile")
		case "workers":
			d.meta.Workers = int(d.ranged("otherData.workers", 0, maxImportLanes))
		case "cores":
			d.meta.Cores = int(d.ranged("otherData.cores", 0, maxImportLanes))
		case "tasks":
			d.meta.Tasks = int(d.ranged("otherData.tasks", 0, maxImportResults))
		case "ideal_serial_ns":
			d.meta.IdealSerial = time.Duration(d.ranged("otherData.ideal_serial_ns", 0, maxImportSpan*maxImportLanes))
		case "planned":
			d.planned()
		case "others":
			d.others()
		case "begin_ns":
			d.begin = d.ranged("otherData.begin_ns", 0, maxImportClock)
		case "end_ns":
			d.end = d.ranged("otherData.end_ns", 0, maxImportClock)
		case "tasks_done":
			d.counts[TasksDone] = d.ranged("otherData.tasks_done", 0, math.MaxInt32)
		case "gil_switches":
			d.counts[GILSwitches] = d.ranged("otherData.gil_switches", 0, math.MaxInt64/2)
		case "ipc_bytes":
			d.counts[IPCBytes] = d.ranged("otherData.ipc_bytes", 0, math.MaxInt64/2)
		case "results":
			d.res = d.results()
		default:
			d.s.skip(2)
		}
	})
}

// ranged reads a whole number that must lie in lo..hi.
func (d *chromeReader) ranged(what string, lo, hi int64) int64 {
	n := d.s.int()
	if d.s.err == nil && (n < lo || n > hi) {
		d.fail("%s %d is out of range %d..%d", what, n, lo, hi)
	}
	return n
}

// text reads a name that will be shown: bounded, control characters dropped so a
// trace cannot write escape sequences to the terminal.
func (d *chromeReader) text(what string) string {
	b := d.s.string()
	if len(b) > maxImportName {
		d.fail("%s is %d bytes long, more than %d", what, len(b), maxImportName)
	}
	return printable(b)
}

func printable(b []byte) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, string(b))
}

// event reads one traceEvents entry and keeps it if it is a worker slice or a lane name.
func (d *chromeReader) event() {
	if d.events++; d.events > maxImportEvents {
		d.s.fail("more than %d traceEvents", maxImportEvents)
		return
	}
	e := &d.ev
	*e = rawChromeEvent{name: e.name[:0], argName: e.argName[:0], task: NoTask, cpu: NoCPU, cpuTime: NoCPUTime}
	d.s.object(func(key []byte) {
		switch string(key) {
		case "name":
			e.name, e.hasName = append(e.name[:0], d.s.string()...), true
		case "ph":
			if ph := d.s.string(); len(ph) == 1 {
				e.ph = ph[0]
			}
		case "pid":
			e.pid = d.s.int()
		case "tid":
			e.tid = d.s.int()
		case "ts":
			e.ts, e.hasTs = d.s.micros(), true
		case "dur":
			e.dur, e.hasDur = d.s.micros(), true
		case "args":
			d.args(e)
		default:
			d.s.skip(3)
		}
	})
	if d.s.err != nil || d.err != nil || e.pid != chromeWorkers {
		return
	}
	d.keep(e)
}

func (d *chromeReader) args(e *rawChromeEvent) {
	if d.s.peek() != '{' {
		d.s.skip(3)
		return
	}
	d.s.object(func(key []byte) {
		switch string(key) {
		case "name":
			if d.s.peek() == '"' {
				e.argName = append(e.argName[:0], d.s.string()...)
				return
			}
			d.s.skip(4)
		case "task":
			e.task = d.s.int()
		case "cpu":
			e.cpu = d.s.int()
		case "pid":
			e.apid = d.s.int()
		case "tid":
			e.atid = d.s.int()
		case "cpu_time_ns":
			e.cpuTime = d.s.int()
		default:
			d.s.skip(4)
		}
	})
}

// keep checks a worker event and keeps it.
func (d *chromeReader) keep(e *rawChromeEvent) {
	i := d.events - 1
	if e.tid < 0 || e.tid >= maxImportLanes {
		d.fail("traceEvents[%d]: lane %d is out of range 0..%d", i, e.tid, maxImportLanes-1)
		return
	}
	for len(d.lanes) <= int(e.tid) {
		d.lanes = append(d.lanes, importLane{name: fmt.Sprintf("lane %d", len(d.lanes))})
	}
	l := &d.lanes[e.tid]
	switch e.ph {
	case 'M':
		if string(e.name) == "thread_name" && e.argName != nil {
			if len(e.argName) > maxImportName {
				d.fail("traceEvents[%d]: lane name is %d bytes long, more than %d", i, len(e.argName), maxImportName)
			}
			l.name = printable(e.argName)
		}
	case 'X':
		d.slice(i, l, e)
	}
}

func (d *chromeReader) slice(i int, l *importLane, e *rawChromeEvent) {
	st, ok := parseStateBytes(e.name)
	switch {
	case !ok:
		d.fail("traceEvents[%d]: unknown state %q", i, e.name)
	case !e.hasTs || !e.hasDur:
		d.fail("traceEvents[%d]: a slice needs ts and dur", i)
	case e.ts < -maxImportSpan || e.ts > maxImportSpan:
		d.fail("traceEvents[%d]: ts %s µs is more than a day from the run's begin", i, micros(e.ts))
	case e.dur < 0 || e.dur > maxImportSpan:
		d.fail("traceEvents[%d]: dur %s µs is negative or longer than a day", i, micros(e.dur))
	case e.task < NoTask || e.task > math.MaxInt32:
		d.fail("traceEvents[%d]: task %d is out of range -1..%d", i, e.task, math.MaxInt32)
	case e.cpu < NoCPU || e.cpu > maxImportCPU:
		d.fail("traceEvents[%d]: cpu %d is not a core number (0..%d, or -1 for unknown)", i, e.cpu, maxImportCPU)
	case e.apid < 0 || e.apid > math.MaxInt32 || e.atid < 0 || e.atid > math.MaxInt32:
		d.fail("traceEvents[%d]: pid %d or tid %d is out of range 0..%d", i, e.apid, e.atid, math.MaxInt32)
	case e.cpuTime < NoCPUTime || e.cpuTime > maxImportClock:
		d.fail("traceEvents[%d]: cpu_time_ns %d is out of range -1..%d", i, e.cpuTime, int64(maxImportClock))
	}
	if d.err != nil {
		return
	}
	if d.slices++; d.slices > MaxImportSlices {
		d.fail("traceEvents[%d]: more than %d worker slices, more than any run makes", i, MaxImportSlices)
		return
	}
	s := importSlice{Event{T: e.ts, State: st, Task: int32(e.task), CPU: int16(e.cpu), PID: int32(e.apid),
		TID: int32(e.atid), CPUTime: e.cpuTime}, e.ts + e.dur}
	l.add(s)
}

func parseStateBytes(b []byte) (State, bool) {
	for s, n := range stateNames {
		if string(b) == n {
			return State(s), true
		}
	}
	return Off, false
}

func micros(ns int64) string { return string(appendMicros(nil, ns)) }
