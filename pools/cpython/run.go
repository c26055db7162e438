// Package cpython runs the py-* models on a real CPython interpreter and watches any
// process tree's threads on the cores: an embedded stdlib-only driver reports every
// task's spans over a pipe, and on Linux a /proc sampler says where each thread was.
package cpython

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/procwatch"
	"github.com/coreography/coreography/internal/timeline"
)

// afterDone is how long the driver gets to shut its pool down once every result is
// back, before its process group is killed.
const afterDone = 3 * time.Second

// Run runs a py-* spec on the interpreter spec.Python names (python3 on PATH when
// empty), recording its threads into rec. httpURL is the loopback server for http
// steps. Every process it started has ended when it returns.
func Run(ctx context.Context, spec experiment.Spec, rec *timeline.Recorder, httpURL string) error {
	in, err := FindInterpreter(ctx, spec.Python)
	if err != nil {
		return err
	}
	if spec.StartMethod != "" && !contains(in.StartMethods, spec.StartMethod) {
		return &SetupError{fmt.Sprintf("--start-method %s: %s offers only %s", spec.StartMethod, in.Executable, strings.Join(in.StartMethods, ", "))}
	}
	config, err := driverConfig(spec, in, httpURL)
	if err != nil {
		return err
	}
	d, err := startDriver(in, spec.Normalized().Cores)
	if err != nil {
		return err
	}
	defer d.stop()
	tr := newTracker(spec.Model, rec, procwatch.SamplerAvailable, d.pid)
	tr.tasks = spec.Tasks.List()
	var mem *MemoryWatch
	inFlight, _ := MeasuresMemory(spec)
	tr.onMemory = func(base int64) { mem = WatchMemory(d.pid, base) }
	sampler, _ := procwatch.StartSampler(d.pid, rec, tr) // nil outside Linux: the records draw the lanes
	if _, err := d.stdin.Write(config); err != nil {
		sampler.Stop()
		return fmt.Errorf("%s: sending the run: %w: %s", in.Executable, err, d.stderr.last())
	}
	res := readRecords(ctx, d.stdout, tr, rec, sampler)
	mem.Stop(rec, inFlight) // before the pool shuts down: its workers still count
	rec.Add(timeline.SamplerCPU, int64(sampler.Stop()))
	if res.done > 0 {
		rec.Finish(res.done)
	}
	switch {
	case ctx.Err() != nil:
		d.stop()
		return ctx.Err()
	case res.failure != "":
		d.stop()
		return fmt.Errorf("%s failed: %s", in.Executable, res.failure)
	case res.done == 0:
		werr := d.stop()
		return fmt.Errorf("%s crashed mid-run (%v): %s", in.Executable, werr, d.stderr.last())
	}
	// Every result is back: let the pool shut down, then make sure of it.
	d.stdin.Close()
	timer := time.AfterFunc(afterDone, func() { procwatch.KillTree(d.pid) })
	defer timer.Stop()
	io.Copy(io.Discard, d.stdout)
	d.stop()
	return nil
}

// driverProc is a running driver: the root of the run's process group.
type driverProc struct {
	pid     int
	stdin   io.WriteCloser
	stdout  io.ReadCloser
	stderr  *tailBuffer
	wait    func() error
	stopped bool
}

// startDriver starts the embedded driver on in, pinned to cores (0: all).
func startDriver(in *Interpreter, cores int) (*driverProc, error) {
	script, err := DriverFile()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(in.Executable, script, "run")
	d := &driverProc{stderr: &tailBuffer{max: 4096}}
	if d.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	if d.stdout, err = cmd.StdoutPipe(); err != nil {
		return nil, err
	}
	cmd.Stderr = d.stderr
	if d.wait, err = procwatch.StartTree(cmd, cores); err != nil {
		return nil, &SetupError{fmt.Sprintf("starting %s: %v", in.Executable, err)}
	}
	d.pid = cmd.Process.Pid
	started(d.pid)
	return d, nil
}

// stop ends the driver's whole tree and waits for it; only the first call does.
func (d *driverProc) stop() error {
	if d.stopped {
		return nil
	}
	d.stopped = true
	d.stdin.Close()
	procwatch.KillTree(d.pid)
	err := d.wait()
	procwatch.AwaitTreeGone(d.pid)
	return err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// driverConfig is the one JSON line the driver reads: the normalized spec, spelled for Python.
func driverConfig(spec experiment.Spec, in *Interpreter, httpURL string) ([]byte, error) {
	spec = spec.Normalized()
	type group struct {
		Count int      `json:"count"`
		Steps [][3]any `json:"steps"` // kind, then a duration in ns or add's N, then add's sync
		In    int64    `json:"in"`
		Out   int64    `json:"out"`
		Phase int      `json:"phase"`
	}
	groups := make([]group, len(spec.Tasks.Groups))
	for i, g := range spec.Tasks.Groups {
		groups[i] = group{Count: g.Count, In: g.Task.In, Out: g.Task.Out, Phase: g.Phase}
		for _, s := range g.Task.Steps {
			amount := s.D.Nanoseconds()
			if s.Kind == experiment.Add {
				amount = s.N
			}
			groups[i].Steps = append(groups[i].Steps, [3]any{s.Kind.String(), amount, s.Sync.String()})
		}
	}
	cfg := map[string]any{
		"model": string(spec.Model), "workers": spec.Workers, "chunk": max(spec.ChunkSize, 1),
		"start": spec.StartMethod, "iters_per_ns": in.ItersPerNs, "hash_bytes_per_ns": in.HashBytesPerNs,
		"http": httpURL, "groups": groups, "cancel_after": spec.CancelAfter.Nanoseconds(),
	}
	if _, ok := MeasuresMemory(spec); ok {
		cfg["memory"] = true
	}
	if spec.SwitchInterval > 0 {
		cfg["switch_interval"] = spec.SwitchInterval.Seconds()
	}
	data, err := json.Marshal(cfg)
	return append(data, '\n'), err
}

// started is told the driver's pid, for tests that check its tree is gone.
var started = func(int) {}

// result is how the driver's stream ended.
type result struct {
	done    int64  // when every result was back; 0 if never
	failure string // the driver's X record
}

// readRecords reads the driver's records until D, X, the end of the stream or ctx.
func readRecords(ctx context.Context, stdout io.Reader, tr *tracker, rec *timeline.Recorder, sampler *procwatch.Sampler) result {
	lines := make(chan []byte, 256)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64<<10), 64<<10)
		for sc.Scan() {
			lines <- bytes.Clone(sc.Bytes())
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return result{}
		case line, ok := <-lines:
			if !ok {
				return result{}
			}
			if r, end := handle(line, tr, rec, sampler); end {
				return r
			}
		}
	}
}

// handle applies one record; end says the stream is over.
func handle(line []byte, tr *tracker, rec *timeline.Recorder, sampler *procwatch.Sampler) (result, bool) {
	if len(line) < 2 {
		return result{}, false
	}
	f := strings.Fields(string(line[2:]))
	num := func(i int) int64 {
		if i >= len(f) {
			return 0
		}
		n, _ := strconv.ParseInt(f[i], 10, 64)
		return n
	}
	switch line[0] {
	case 'R':
		rec.Begin(num(0))
		tr.began(num(0))
		sampler.SetBegin(num(0))
	case 'B', 'K':
		if len(f) >= 6 && f[5] != "" {
			tr.step(int32(num(1)), int32(num(2)), num(3), num(4), int32(num(0)), f[5][0])
		}
	case 'E':
		tr.step(int32(num(1)), int32(num(2)), num(3), num(4), int32(num(0)), 0)
		tr.ended(int32(num(0)), num(3), num(5), len(f) >= 7 && f[6] == "f")
	case 'C':
		tr.cancelled(int32(num(0)), num(1))
	case 'V':
		rec.SetCounter(num(0))
	case 'M':
		tr.memoryBase(num(0))
	case 'N':
		if len(f) >= 3 {
			tr.named(int32(num(0)), int32(num(1)), f[2])
		}
	case 'D':
		return result{done: num(0)}, true
	case 'X':
		return result{failure: strings.TrimSpace(string(line[2:]))}, true
	}
	return result{}, false
}

// tailBuffer keeps the end of a stream: what a crashing interpreter said last.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if len(b.buf) > b.max {
		b.buf = b.buf[len(b.buf)-b.max:]
	}
	return len(p), nil
}

func (b *tailBuffer) last() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if s := lastLine(string(b.buf)); s != "" {
		return s
	}
	return "it said nothing on stderr"
}

// IsSetupError reports whether err means the run could not start for a reason the
// user can fix (exit status 2).
func IsSetupError(err error) bool {
	var se *SetupError
	return errors.As(err, &se)
}
