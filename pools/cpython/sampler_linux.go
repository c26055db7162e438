package cpython

import (
	"bytes"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/coreography/coreography/internal/timeline"
)

// SamplerAvailable says whether thread states and cores can be read from /proc here.
const SamplerAvailable = true

// rescanEvery is how often (in samples) the sampler looks for new processes and threads:
// listing /proc costs far more than reading the threads it already knows.
const rescanEvery = 100

// A thread that neither ran nor waited for quietAfter readings is read every
// quietEvery samples until it does: a wake-up is seen within a few milliseconds.
const quietAfter, quietEvery = 20, 4

// Sampler reads /proc/PID/task/TID/{stat,schedstat} for every thread of a process tree
// on one OS thread of its own, ~1000 times a second, and turns what it read into lane
// events some milliseconds later, when the observer knows what each thread was doing.
type Sampler struct {
	root  int // the tree's root process; its process group is the tree's
	rec   *timeline.Recorder
	obs   Observer
	stop  chan struct{}
	done  chan struct{}
	cpuNs int64        // the sampler thread's own CPU, set when it ends
	begin atomic.Int64 // samples before it are not drawn or counted

	procs   map[int32]*procThreads
	notOurs map[int32]bool
	gil     gilCounter
	lanes   map[[2]int32]*laneState
	buf     []byte
	ran     map[int32]int64 // per sample, reused

	mu       sync.Mutex
	seenPIDs map[int32]bool

	// The root process's last exec, seen as its command name changing (a wrapper such
	// as a pyenv shim, env or nice, replacing itself with the program), and the
	// sampler's own CPU then. Only the loop writes them before done closes.
	rootExec    int64
	rootExecCPU int64
	rootComm    string // the root's command name since then
	rescanFrom  int    // the sample the early, frequent rescans count from
	samplerCPU0 int64
}

type procThreads struct {
	threads map[int32]*threadFiles
}

type threadFiles struct {
	stat, sched int // raw descriptors (-1: closed): read with pread, no poller in the way
	comm        string
	execAt      int64  // when the last reading showed a new command name: an exec
	prev        sample // the last reading, for the next interval
	read        bool   // prev is a real reading
	reads       int
	quiet       int // readings in a row in which it neither ran nor waited
	pending     []sample
}

type laneState struct {
	lane *timeline.Lane
	last timeline.Event
	has  bool
}

// StartSampler starts sampling the tree rooted at pid.
func StartSampler(pid int, rec *timeline.Recorder, obs Observer) (*Sampler, error) {
	s := &Sampler{root: pid, rec: rec, obs: obs, stop: make(chan struct{}), done: make(chan struct{}),
		procs: map[int32]*procThreads{}, notOurs: map[int32]bool{}, lanes: map[[2]int32]*laneState{},
		buf: make([]byte, 8192), seenPIDs: map[int32]bool{}, ran: map[int32]int64{}}
	s.begin.Store(1<<63 - 1)
	// The sampler's thread holds its P while it sleeps (sleepUntil): one more P, so the
	// app has as many as before for everything else; given back when the sampler ends.
	runtime.GOMAXPROCS(runtime.GOMAXPROCS(0) + 1)
	go s.loop()
	return s, nil
}

// RootExec is when the root process last replaced its program (exec), if the sampler
// saw it do so after it started, the program's command name, and how much CPU the
// sampler had used by then. Call it after Stop.
func (s *Sampler) RootExec() (at int64, comm string, samplerCPU time.Duration, ok bool) {
	if s == nil || s.rootExec == 0 {
		return 0, "", 0, false
	}
	return s.rootExec, s.rootComm, time.Duration(s.rootExecCPU - s.samplerCPU0), true
}

// SetBegin says when the run begins: what came before (the interpreter starting up)
// is neither drawn nor counted.
func (s *Sampler) SetBegin(t int64) {
	if s != nil {
		s.begin.Store(t)
	}
}

// Stop takes a last sample, draws every sample still waiting, closes the files and
// returns the sampler thread's CPU time: the cost of watching.
func (s *Sampler) Stop() time.Duration {
	if s == nil {
		return 0
	}
	close(s.stop)
	<-s.done
	return time.Duration(s.cpuNs)
}

// PIDs lists every process of the tree seen so far.
func (s *Sampler) PIDs() []int32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]int32, 0, len(s.seenPIDs))
	for p := range s.seenPIDs {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

func (s *Sampler) loop() {
	defer close(s.done)
	defer func() { runtime.GOMAXPROCS(max(runtime.GOMAXPROCS(0)-1, 1)) }() // StartSampler's P
	// Locked, so this thread's CPU clock is the sampler's cost, sleeps included.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := threadCPU()
	s.samplerCPU0 = start
	next := timeline.Now()
	for n := 0; ; n++ {
		// Pools start their workers early in a program: look for them every 10 ms for
		// its first 200, counted from its last exec.
		switch {
		case n%rescanEvery == 0:
			s.scan()
		case n-s.rescanFrom < 200 && n%10 == 0:
			s.scanChildren()
		}
		now := timeline.Now()
		s.readAll(now, n)
		s.drawSettled(now - int64(settleLag))
		select {
		case <-s.stop:
			s.scan()
			s.readAll(timeline.Now(), 0)
			s.drawSettled(1 << 62)
			s.closeAll()
			s.cpuNs = threadCPU() - start
			return
		default:
		}
		next += int64(SampleEvery)
		if behind := timeline.Now() - next; behind > int64(SampleEvery) {
			next += behind // skip samples rather than rush to catch up
		}
		sleepUntil(next)
	}
}

// sleepUntil sleeps the sampler's thread until the monotonic instant t with a raw
// clock_nanosleep. Through the syscall package each of the thousand sleeps a second
// left a P in a system call for sysmon to take back, which kept sysmon polling every
// 20 µs; alternated with that, two spinning processes watched read a sampler of
// 5.0-5.3 % of the wall and parallelism 1.73-1.77, raw 4.0-4.3 % and 1.82-1.83. Raw, the
// thread keeps its P while it sleeps, so the sampler runs with a P of its own (see
// StartSampler), and a stop of the world waits for it one sample interval at most.
func sleepUntil(t int64) {
	ts := unix.NsecToTimespec(t)
	for {
		_, _, errno := unix.RawSyscall6(unix.SYS_CLOCK_NANOSLEEP, unix.CLOCK_MONOTONIC, unix.TIMER_ABSTIME,
			uintptr(unsafe.Pointer(&ts)), 0, 0, 0)
		if errno != unix.EINTR {
			return
		}
	}
}

func threadCPU() int64 {
	var ts unix.Timespec
	if unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts) != nil {
		return 0
	}
	return ts.Nano()
}

// scan finds the tree's processes (the root's process group, and children of known
// members) and their threads.
func (s *Sampler) scan() {
	names := listDir("/proc", s.buf)
	pids := make([]int32, 0, len(names))
	for _, name := range names {
		if p, err := strconv.Atoi(name); err == nil {
			pids = append(pids, int32(p))
		}
	}
	slices.Sort(pids) // parents before children, nearly always
	for _, pid := range pids {
		if s.procs[pid] != nil || s.notOurs[pid] {
			continue
		}
		if !s.ours(pid) {
			s.notOurs[pid] = true
			continue
		}
		s.adopt(pid)
	}
	s.scanAllThreads()
}

// adopt adds pid to the tree watched.
func (s *Sampler) adopt(pid int32) {
	delete(s.notOurs, pid)
	s.procs[pid] = &procThreads{threads: map[int32]*threadFiles{}}
	s.mu.Lock()
	s.seenPIDs[pid] = true
	s.mu.Unlock()
}

// scanAllThreads finds every member's new threads.
func (s *Sampler) scanAllThreads() {
	for pid, p := range s.procs {
		s.scanThreads(pid, p)
	}
}

// scanChildren finds the tree's new processes from its members' children files
// (/proc/PID/task/TID/children), and every member's new threads. Listing all of /proc
// is the full scan's job, every rescanEvery samples (it also finds a member's
// orphans, by process group); that listing cost 0.3 ms here, a tenth of the sampler's
// CPU when it ran every 10 ms.
func (s *Sampler) scanChildren() {
	var found []int32
	for pid, p := range s.procs {
		for tid := range p.threads {
			path := "/proc/" + strconv.Itoa(int(pid)) + "/task/" + strconv.Itoa(int(tid)) + "/children"
			n, ok := readSmall(path, s.buf)
			if !ok {
				continue
			}
			for rest := s.buf[:n]; len(rest) > 0; {
				child, r := nextField(rest)
				if len(r) == len(rest) {
					break
				}
				rest = r
				if c := int32(child); c > 0 && s.procs[c] == nil {
					found = append(found, c)
				}
			}
		}
	}
	for _, c := range found {
		if s.procs[c] == nil {
			s.adopt(c)
		}
	}
	s.scanAllThreads()
}

// readSmall reads a small /proc file into buf with raw open, read and close.
func readSmall(path string, buf []byte) (int, bool) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0, false
	}
	n, ok := rawPread(fd, buf)
	unix.Close(fd)
	return n, ok
}

// ours reports whether pid is the root, in its process group, or a child of a member.
func (s *Sampler) ours(pid int32) bool {
	if int(pid) == s.root {
		return true
	}
	data, err := os.ReadFile("/proc/" + strconv.Itoa(int(pid)) + "/stat")
	if err != nil {
		return false
	}
	f := statFields(data)
	if len(f) < 3 {
		return false
	}
	ppid, _ := strconv.Atoi(string(f[1]))
	pgrp, _ := strconv.Atoi(string(f[2]))
	return pgrp == s.root || s.procs[int32(ppid)] != nil
}

func (s *Sampler) scanThreads(pid int32, p *procThreads) {
	dir := "/proc/" + strconv.Itoa(int(pid)) + "/task"
	for _, name := range listDir(dir, s.buf) {
		tid, err := strconv.Atoi(name)
		if err != nil || p.threads[int32(tid)] != nil {
			continue
		}
		stat, err1 := unix.Open(dir+"/"+name+"/stat", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		sched, err2 := unix.Open(dir+"/"+name+"/schedstat", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err1 != nil || err2 != nil {
			closeFiles(stat, sched)
			continue
		}
		comm, _ := os.ReadFile(dir + "/" + name + "/comm")
		p.threads[int32(tid)] = &threadFiles{stat: stat, sched: sched, comm: string(bytes.TrimSpace(comm))}
	}
}

func closeFiles(fds ...int) {
	for _, fd := range fds {
		if fd >= 0 {
			unix.Close(fd)
		}
	}
}

// listDir lists a /proc directory with getdents on a raw descriptor: os.Open would
// register it with the runtime's poller, two more system calls each time.
func listDir(path string, buf []byte) []string {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil
	}
	defer unix.Close(fd)
	var names []string
	for {
		n, err := unix.ReadDirent(fd, buf)
		if err != nil || n <= 0 {
			return names
		}
		_, _, names = unix.ParseDirent(buf[:n], -1, names)
	}
}

// readAll reads every known thread once (a thread asleep for the last quietAfter
// readings only every quietEvery-th time: most of a pool's helper threads sleep the
// whole run, and each reading is a system call), counts GIL hand-offs per process and
// queues each interval for drawing. n counts the samples; 0 reads every thread.
func (s *Sampler) readAll(now int64, n int) {
	for pid, p := range s.procs {
		clear(s.ran)
		ran := s.ran
		var running int32
		var wall int64
		for tid, th := range p.threads {
			if th.quiet >= quietAfter && n%quietEvery != 0 {
				continue
			}
			cur, ok := s.read(th, now)
			if !ok {
				if th.read {
					th.pending = append(th.pending, sample{t: now, from: th.prev.t, runtime: th.prev.runtime, gone: true})
				}
				closeFiles(th.stat, th.sched)
				th.stat, th.sched = -1, -1
				if len(th.pending) == 0 {
					delete(p.threads, tid)
				}
				continue
			}
			if int(pid) == s.root && tid == pid && th.execAt == cur.t && th.read {
				s.rootExec, s.rootExecCPU, s.rootComm, s.rescanFrom = cur.t, threadCPU(), th.comm, n
			}
			if th.read {
				iv := sample{t: cur.t, from: th.prev.t, runtime: th.prev.runtime, ran: cur.runtime - th.prev.runtime,
					waited: cur.waited - th.prev.waited, core: cur.core, state: cur.state, wasR: th.prev.state == 'R'}
				th.pending = append(th.pending, iv)
				if iv.from >= s.begin.Load() {
					s.rec.Add(timeline.RunQueue, iv.waited)
				}
				ran[tid] = iv.ran
				wall = max(wall, iv.t-iv.from)
				if th.quiet++; iv.ran > 0 || iv.waited > 0 {
					th.quiet = 0
				}
				if cur.state == 'R' && iv.ran >= ranAtLeast {
					running = tid
				}
			}
			th.prev, th.read = cur, true
		}
		if n := s.gil.interval(pid, ran, wall, running); n > 0 && now > s.begin.Load() {
			s.rec.Add(timeline.GILSwitches, n)
		}
		if len(p.threads) == 0 {
			delete(s.procs, pid)
		}
	}
}

// read takes one reading; waited holds the cumulative run-queue wait, runtime the
// cumulative CPU. schedstat is cheap to read and stat is not, so stat (state letter
// and core) is read only when the thread ran or waited since the last reading, and
// every tenth time otherwise, to notice a sleep in the kernel (D).
func (s *Sampler) read(th *threadFiles, now int64) (sample, bool) {
	if th.sched < 0 {
		return sample{}, false
	}
	n, ok := rawPread(th.sched, s.buf)
	if !ok {
		return sample{}, false
	}
	out := sample{t: now, state: 'S', core: th.prev.core}
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
		th.comm, th.execAt = string(comm), now
	}
	return out, true
}

// rawPread reads a /proc file from its start with one raw system call: it never
// blocks, and a raw call leaves the Go runtime out of it (a pread through the syscall
// package wakes sysmon on its way out, a thousand times a second here).
func rawPread(fd int, buf []byte) (int, bool) {
	n, _, errno := unix.RawSyscall6(unix.SYS_PREAD64, uintptr(fd), uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)), 0, 0, 0)
	return int(n), errno == 0 && int(n) > 0
}

// statStateCore reads a /proc/…/stat line's command name, state and last core (field
// 39) without allocating: it ran for every thread a thousand times a second, and
// splitting the line into fields was a quarter of the sampler's CPU.
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

// statFields splits /proc/…/stat after the command name (which may hold spaces):
// field 0 is the state, 1 the parent, 2 the process group, 36 the last core.
func statFields(data []byte) [][]byte {
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return nil
	}
	return bytes.Fields(data[i+1:])
}

// drawSettled turns every interval that ended before until into lane events.
func (s *Sampler) drawSettled(until int64) {
	for pid, p := range s.procs {
		for tid, th := range p.threads {
			k := 0
			begin := s.begin.Load()
			for ; k < len(th.pending) && th.pending[k].t <= until; k++ {
				if iv := th.pending[k]; iv.t > begin {
					iv.from = max(iv.from, begin)
					s.draw(pid, tid, th.comm, iv)
				}
			}
			th.pending = append(th.pending[:0], th.pending[k:]...)
		}
	}
}

func (s *Sampler) draw(pid, tid int32, comm string, iv sample) {
	key := [2]int32{pid, tid}
	ls := s.lanes[key]
	if ls == nil {
		lane := s.obs.Lane(pid, tid, comm, iv.ran > 0)
		if lane == nil {
			return
		}
		ls = &laneState{lane: lane}
		s.lanes[key] = ls
	}
	var e timeline.Event
	if iv.gone {
		e = timeline.Event{T: iv.from, CPUTime: iv.runtime, Task: timeline.NoTask, PID: pid, TID: tid, CPU: timeline.NoCPU, State: timeline.Off}
	} else {
		e = classify(pid, tid, iv, s.obs)
	}
	if ls.has && ls.last.State == e.State && ls.last.CPU == e.CPU && ls.last.Task == e.Task {
		return
	}
	ls.lane.Append(e)
	ls.last, ls.has = e, true
}

func (s *Sampler) closeAll() {
	for _, p := range s.procs {
		for _, th := range p.threads {
			closeFiles(th.stat, th.sched)
		}
	}
}
