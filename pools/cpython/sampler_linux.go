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

	"golang.org/x/sys/unix"

	"github.com/coreography/coreography/timeline"
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
}

type procThreads struct {
	threads map[int32]*threadFiles
}

type threadFiles struct {
	stat, sched int // raw descriptors (-1: closed): read with pread, no poller in the way
	comm        string
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
	go s.loop()
	return s, nil
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
	// Locked, so this thread's CPU clock is the sampler's cost, sleeps included.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := threadCPU()
	next := timeline.Now()
	for n := 0; ; n++ {
		if n%rescanEvery == 0 || (n < 200 && n%10 == 0) { // pools start their workers early
			s.scan()
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
		ts := unix.NsecToTimespec(next)
		for unix.ClockNanosleep(unix.CLOCK_MONOTONIC, unix.TIMER_ABSTIME, &ts, nil) == unix.EINTR {
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
		s.procs[pid] = &procThreads{threads: map[int32]*threadFiles{}}
		s.mu.Lock()
		s.seenPIDs[pid] = true
		s.mu.Unlock()
	}
	for pid, p := range s.procs {
		s.scanThreads(pid, p)
	}
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
			if th.read {
				iv := sample{t: cur.t, from: th.prev.t, runtime: th.prev.runtime, ran: cur.runtime - th.prev.runtime,
					waited: cur.waited - th.prev.waited, core: cur.core, state: cur.state, wasR: th.prev.state == 'R'}
				th.pending = append(th.pending, iv)
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
	n, err := unix.Pread(th.sched, s.buf, 0)
	if n <= 0 || err != nil {
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
	n, err = unix.Pread(th.stat, s.buf, 0)
	if n <= 0 || err != nil {
		return sample{}, false
	}
	f := statFields(s.buf[:n])
	if len(f) < 37 {
		return sample{}, false
	}
	out.state = f[0][0]
	core, _ := nextField(f[36])
	out.core = int16(core)
	return out, true
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
