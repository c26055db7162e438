package timeline

import (
	"bufio"
	"bytes"
	"io"
	"strconv"
)

// Chrome trace JSON (the Trace Event Format that Perfetto and chrome://tracing open):
// worker lanes are threads of process 1, core lanes threads of process 2, every span an
// "X" slice and every lane named by an "M" event. The args of worker slices carry what
// Import needs to rebuild the trace exactly. otherData (the spec and the counters) comes
// first, so a reader knows the run before its events; the reader accepts any key order.
//
// The file is written as it is encoded, a slice at a time, and timestamps are printed
// from integer nanoseconds as exact decimal microseconds (three places), so export
// costs a buffer, not a copy of the trace, and import gets back the very nanoseconds.

const (
	chromeWorkers = 1
	chromeCores   = 2
)

// MarshalChrome returns t as Chrome trace JSON; WriteChrome streams the same bytes.
func MarshalChrome(t *Trace) ([]byte, error) {
	var b bytes.Buffer
	if err := WriteChrome(&b, t); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// WriteChrome writes t to w as Chrome trace JSON, encoding one slice at a time.
func WriteChrome(w io.Writer, t *Trace) error {
	cw := chromeWriter{w: bufio.NewWriterSize(w, 64<<10), begin: t.Begin}
	cw.header(t)
	if t.Source == SourceSim { // a model must not pass for a measurement in Perfetto either
		cw.name(chromeWorkers, 0, "process_name", "workers (SIMULATED, profile "+t.Profile+")")
		cw.name(chromeCores, 0, "process_name", "cores (SIMULATED, profile "+t.Profile+")")
	} else {
		cw.name(chromeWorkers, 0, "process_name", "workers")
		cw.name(chromeCores, 0, "process_name", "cores")
	}
	for li, l := range t.Lanes {
		cw.name(chromeWorkers, li, "thread_name", l.Name)
		for i, e := range l.Events {
			if e.T > t.End {
				continue
			}
			cw.workerSlice(li, e, l.Span(i, t.End))
		}
	}
	// Core lanes are written lane by lane rather than sorted by start: viewers sort
	// slices themselves, and this way no span list is built.
	for _, cpu := range t.CPUs() {
		cw.name(chromeCores, cpu, "thread_name", "core "+strconv.Itoa(cpu))
	}
	for _, l := range t.Lanes {
		l.Spans(t.Begin, t.End, func(s Span) bool {
			if s.State.OnCPU() && s.CPU >= 0 {
				cw.coreSlice(l.Name, s)
			}
			return true
		})
	}
	cw.resultMarks(t) // chrome_results.go
	cw.buf = append(cw.buf, "\n]}\n"...)
	cw.flush()
	if cw.err == nil {
		cw.err = cw.w.Flush()
	}
	return cw.err
}

// chromeWriter appends each event to a small scratch buffer and hands it to a bufio.Writer.
type chromeWriter struct {
	w     *bufio.Writer
	buf   []byte
	begin int64
	n     int // events written, for the separating commas
	err   error
}

func (c *chromeWriter) flush() {
	if c.err == nil {
		_, c.err = c.w.Write(c.buf)
	}
	c.buf = c.buf[:0]
}

func (c *chromeWriter) header(t *Trace) {
	b := append(c.buf, `{"displayTimeUnit":"ms","otherData":{`...)
	if t.Name != "" {
		b = appendKey(b, "name")
		b = strconv.AppendQuote(b, t.Name)
		b = append(b, ',')
	}
	b = appendKey(b, "model")
	b = strconv.AppendQuote(b, t.Model)
	for _, kv := range [...]struct{ k, v string }{{"source", t.Source}, {"profile", t.Profile}} {
		if kv.v != "" {
			b = append(b, ',')
			b = appendKey(b, kv.k)
			b = strconv.AppendQuote(b, kv.v)
		}
	}
	for _, kv := range []struct {
		k string
		v int64
	}{{"workers", int64(t.Workers)}, {"cores", int64(t.Cores)}, {"tasks", int64(t.Tasks)},
		{"ideal_serial_ns", int64(t.IdealSerial)}, {"begin_ns", t.Begin}, {"end_ns", t.End},
		{"tasks_done", t.TasksDone}, {"gil_switches", t.GILSwitches}, {"ipc_bytes", t.IPCBytes}} {
		b = append(b, ',')
		b = appendKey(b, kv.k)
		b = strconv.AppendInt(b, kv.v, 10)
	}
	b = appendMeasuredMeta(b, t)
	b = appendResults(b, t) // chrome_results.go
	c.buf = append(b, "},\n\"traceEvents\":["...)
	c.flush()
}

// next starts an event: a comma after the first, one event a line.
func (c *chromeWriter) next() []byte {
	if c.n > 0 {
		c.buf = append(c.buf, ",\n"...)
	} else {
		c.buf = append(c.buf, '\n')
	}
	c.n++
	return c.buf
}

func (c *chromeWriter) name(pid, tid int, what, value string) {
	b := append(c.next(), `{"name":`...)
	b = strconv.AppendQuote(b, what)
	b = append(b, `,"ph":"M","pid":`...)
	b = strconv.AppendInt(b, int64(pid), 10)
	b = append(b, `,"tid":`...)
	b = strconv.AppendInt(b, int64(tid), 10)
	b = append(b, `,"ts":0,"args":{"name":`...)
	b = strconv.AppendQuote(b, value)
	c.buf = append(b, "}}"...)
	c.flush()
}

func (c *chromeWriter) slice(b []byte, name string, pid, tid int, s Span) []byte {
	b = append(b, `{"name":`...)
	b = strconv.AppendQuote(b, name)
	b = append(b, `,"ph":"X","pid":`...)
	b = strconv.AppendInt(b, int64(pid), 10)
	b = append(b, `,"tid":`...)
	b = strconv.AppendInt(b, int64(tid), 10)
	b = append(b, `,"ts":`...)
	b = appendMicros(b, s.Start-c.begin)
	b = append(b, `,"dur":`...)
	return appendMicros(b, s.Duration())
}

func (c *chromeWriter) workerSlice(lane int, e Event, s Span) {
	b := c.slice(c.next(), e.State.String(), chromeWorkers, lane, s)
	b = append(b, `,"args":{"task":`...)
	b = strconv.AppendInt(b, int64(e.Task), 10)
	b = append(b, `,"cpu":`...)
	b = strconv.AppendInt(b, int64(e.CPU), 10)
	b = append(b, `,"pid":`...)
	b = strconv.AppendInt(b, int64(e.PID), 10)
	b = append(b, `,"tid":`...)
	b = strconv.AppendInt(b, int64(e.TID), 10)
	b = append(b, `,"cpu_time_ns":`...)
	b = strconv.AppendInt(b, e.CPUTime, 10)
	c.buf = append(b, "}}"...)
	if len(c.buf) > 32<<10 {
		c.flush()
	}
}

func (c *chromeWriter) coreSlice(laneName string, s Span) {
	b := c.slice(c.next(), laneName, chromeCores, int(s.CPU), s)
	b = append(b, `,"args":{"state":"`...)
	b = append(b, s.State.String()...)
	b = append(b, `","task":`...)
	b = strconv.AppendInt(b, int64(s.Task), 10)
	c.buf = append(b, "}}"...)
	if len(c.buf) > 32<<10 {
		c.flush()
	}
}

func appendKey(b []byte, k string) []byte {
	b = append(b, '"')
	b = append(b, k...)
	return append(b, '"', ':')
}

// appendMicros prints ns as microseconds with exactly the digits it has: 1234567 ns is
// 1234.567, 5000 ns is 5.
func appendMicros(b []byte, ns int64) []byte {
	if ns < 0 {
		b = append(b, '-')
		if ns == -ns { // math.MinInt64 has no positive twin
			return append(b, "9223372036854775.808"...)
		}
		ns = -ns
	}
	b = strconv.AppendInt(b, ns/1000, 10)
	if frac := ns % 1000; frac != 0 {
		b = append(b, '.', byte('0'+frac/100), byte('0'+frac/10%10), byte('0'+frac%10))
		for b[len(b)-1] == '0' {
			b = b[:len(b)-1]
		}
	}
	return b
}
