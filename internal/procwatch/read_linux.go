package procwatch

import (
	"bytes"
	"strconv"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/coreography/coreography/internal/timeline"
)

// readAll reads every known thread once (a thread asleep for the last quietAfter
// readings only every quietEvery-th time: most of a pool's helper threads sleep the
// whole run, and each reading is a system call), counts GIL hand-offs per CPython
// process and queues each interval for drawing. n counts the samples; 0 reads every
// thread.
func (s *Sampler) readAll(now int64, n int) {
	for pid, p := range s.procs {
		s.ran = s.ran[:0]
		for tid, th := range p.threads {
			if th.quiet >= quietAfter && n%quietEvery != 0 {
				continue
			}
			waited := th.gilWait
			iv, ok := s.readOne(pid, p, tid, th, now, n)
			if !ok || iv.t == 0 {
				continue
			}
			s.ran = append(s.ran, holder{tid: tid, ran: iv.ran, waited: waited, running: iv.state == 'R'})
		}
		if p.python {
			if k := s.gil.interval(pid, s.ran); k > 0 && now > s.begin.Load() {
				s.rec.Add(timeline.GILSwitches, k)
			}
		}
		if len(p.threads) == 0 {
			delete(s.procs, pid)
		}
	}
}

// readOne reads one thread and queues the interval since its last reading; the
// interval is zero when there was no last reading to measure from. ok is false for a
// thread that is gone.
func (s *Sampler) readOne(pid int32, p *procThreads, tid int32, th *threadFiles, now int64, n int) (sample, bool) {
	cur, ok := s.read(th, now, p.python)
	if th.renamed && tid == pid {
		th.renamed, p.python = false, IsPython(int(pid)) // an exec: perhaps of CPython
	}
	if !ok {
		if th.read {
			th.pending = append(th.pending, sample{t: now, from: th.prev.t, runtime: th.prev.runtime, gone: true})
		}
		th.close()
		if len(th.pending) == 0 {
			delete(p.threads, tid)
		}
		return sample{}, false
	}
	if int(pid) == s.root && tid == pid && th.execAt == cur.t && th.read {
		s.rootExec, s.rootExecCPU, s.rootComm, s.rescanFrom = cur.t, threadCPU(), th.comm, n
	}
	if !th.read && th.fromBirth {
		// Born since the last look: all its CPU and queueing so far is this interval's.
		th.prev = sample{t: max(cur.t-cur.runtime-cur.waited, s.scanned-int64(SampleEvery)), core: cur.core}
		th.read = true
	}
	var iv sample
	if th.read {
		iv = sample{t: cur.t, from: th.prev.t, runtime: th.prev.runtime, ran: cur.runtime - th.prev.runtime,
			waited: cur.waited - th.prev.waited, core: cur.core, state: cur.state, wasR: th.prev.state == 'R',
			timed: cur.timed, python: p.python}
		th.pending = append(th.pending, iv)
		if iv.from >= s.begin.Load() {
			s.rec.Add(timeline.RunQueue, iv.waited)
		}
		// A wait for the GIL ends with the thread holding it; one seen at this reading
		// comes after whatever it ran in this interval.
		if iv.ran >= ranAtLeast {
			th.gilWait = false
		}
		if iv.state == 'S' && iv.timed {
			th.gilWait = true
		}
		if th.quiet++; iv.ran > 0 || iv.waited > 0 {
			th.quiet = 0
		}
	}
	th.prev, th.read = cur, true
	return iv, true
}

// read takes one reading; waited holds the cumulative run-queue wait, runtime the
// cumulative CPU. schedstat is cheap to read and stat is not, so stat (state letter
// and core) is read only when the thread ran or waited since the last reading, and
// every tenth time otherwise, to notice a sleep in the kernel (D).
func (s *Sampler) read(th *threadFiles, now int64, python bool) (sample, bool) {
	if th.sched < 0 {
		return sample{}, false
	}
	n, ok := rawPread(th.sched, s.buf)
	if !ok {
		return sample{}, false
	}
	out := sample{t: now, state: 'S', core: th.prev.core, timed: th.prev.timed}
	runtime, rest := nextField(s.buf[:n])
	waited, _ := nextField(rest)
	out.runtime, out.waited = runtime, waited
	th.reads++
	if th.read && out.runtime == th.prev.runtime && out.waited == th.prev.waited && th.reads%10 != 0 {
		out.state = th.prev.state
		return out, true
	}
	if n, ok = rawPread(th.stat, s.buf); !ok {
		return sample{}, false
	}
	comm, state, core, ok := statStateCore(s.buf[:n])
	if !ok {
		return sample{}, false
	}
	out.state, out.core = state, int16(core)
	if string(comm) != th.comm { // an exec (or a rename): the thread runs another program
		th.comm, th.execAt, th.renamed = string(comm), now, true
	}
	out.timed = python && state == 'S' && s.timedWait(th)
	return out, true
}

// timedWait reports whether an asleep thread sleeps in a futex wait with a timeout,
// from /proc/…/syscall (the call and its arguments): how CPython's GIL waiters wait,
// a switch interval at a time, where a lock or a join waits without one.
func (s *Sampler) timedWait(th *threadFiles) bool {
	n, ok := th.readKept(&th.syscall, "syscall", s.buf)
	return ok && timedFutex(s.buf[:n])
}

// timedFutex reads a /proc/…/syscall line: "nr arg1 … arg6 sp pc" with the arguments
// in hex. A futex call (uaddr, op, val, timeout, …) with a timeout is a timed wait.
func timedFutex(line []byte) bool {
	f := bytes.Fields(line)
	if len(f) < 5 {
		return false
	}
	nr, err := strconv.Atoi(string(f[0]))
	if err != nil || nr != unix.SYS_FUTEX {
		return false
	}
	timeout, err := strconv.ParseUint(string(bytes.TrimPrefix(f[4], []byte("0x"))), 16, 64)
	return err == nil && timeout != 0
}

// rawPread reads a /proc file from its start with one raw system call: it never
// blocks, and a raw call leaves the Go runtime out of it (a pread through the syscall
// package wakes sysmon on its way out, a thousand times a second here).
func rawPread(fd int, buf []byte) (int, bool) {
	n, _, errno := unix.RawSyscall6(unix.SYS_PREAD64, uintptr(fd), uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)), 0, 0, 0)
	if errno != 0 || int(n) <= 0 {
		return 0, false // a failed read returns -1, which must never become a length
	}
	return int(n), true
}

// statStateCore reads a /proc/…/stat line's command name, state and last core (field
// 39) without allocating: it runs for every thread a thousand times a second, and
// splitting the line into fields was a large share of the sampler's CPU.
func statStateCore(data []byte) (comm []byte, state byte, core int64, ok bool) {
	open, close := bytes.IndexByte(data, '('), bytes.LastIndexByte(data, ')')
	if open < 0 || close < open || close+4 > len(data) {
		return nil, 0, 0, false
	}
	comm, state = data[open+1:close], data[close+2]
	rest := data[close+4:]                // past ") S "
	for field := 1; field < 36; field++ { // state is field 0 after the name; the core is 36
		i := bytes.IndexByte(rest, ' ')
		if i < 0 {
			return nil, 0, 0, false
		}
		rest = rest[i+1:]
	}
	core, _ = nextField(rest)
	return comm, state, core, true
}

// nextField parses the decimal number at the start of b (after spaces) and returns
// the rest, without allocating.
func nextField(b []byte) (int64, []byte) {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\n') {
		i++
	}
	var n int64
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		n = n*10 + int64(b[i]-'0')
	}
	return n, b[i:]
}
