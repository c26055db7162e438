package procwatch

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/coreography/coreography/internal/timeline"
)

// SamplerAvailable says whether thread states and cores can be read from /proc here.
const SamplerAvailable = true

// drawEvery is how often (in samples) what was read is turned into lane events: a
// pass over every thread, needed far less often than a reading.
const drawEvery = 10

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
	root   int // the tree's root process; its process group is the tree's
	rec    *timeline.Recorder
	obs    Observer
	stop   chan struct{}
	done   chan struct{}
	cpuNs  int64        // the sampler thread's own CPU, set when it ends
	begin  atomic.Int64 // samples before it are not drawn or counted
	attach bool         // threads found by the first scan count from then, not from birth
	// closeAtStop ends every lane with the last reading's CPU clock, so that the CPU
	// of a thread still running at the end is counted to its last reading.
	closeAtStop bool

	procs   map[int32]*procThreads
	notOurs map[int32]bool
	gil     gilCounter
	lanes   map[[2]int32]*laneState
	buf     []byte
	ran     []holder // per sample, reused
	threads int      // threads known
	n       int      // the sample being taken

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
	scanned     int64     // when the last scan for new threads ended
	own         *ownCores // the sampler thread's own CPU per core
	forkedBy    int       // the latest of every process's forkedBy
}

type procThreads struct {
	threads map[int32]*threadFiles
	python  bool // the process runs CPython: its sleepers may be waiting for the GIL
	// forkedBy is the sample until which its children are looked for every sample:
	// it started a process lately.
	forkedBy int
}

type threadFiles struct {
	stat, sched int // raw descriptors (-1: closed): read with pread, no poller in the way
	comm        string
	execAt      int64  // when the last reading showed a new command name: an exec
	prev        sample // the last reading, for the next interval
	read        bool   // prev is a real reading
	fromBirth   bool   // its first reading counts its CPU since it started
	renamed     bool   // its name changed since its process was last asked whether it runs CPython
	gilWait     bool   // seen asleep in a timed wait (CPython's wait for the GIL) since it last ran
	reads       int
	quiet       int // readings in a row in which it neither ran nor waited
	dir         int // /proc/PID/task/TID, opened O_PATH
	// Its children and syscall files, opened at their first reading and read again
	// with pread (-1: not yet): an open by name walks /proc and cost more than the read.
	children, syscall int
	pending           []sample
}

type laneState struct {
	lane *timeline.Lane
	last timeline.Event
	has  bool
}

// StartSampler starts sampling the tree rooted at pid, which the caller just started:
// every thread's CPU counts from its birth.
func StartSampler(pid int, rec *timeline.Recorder, obs Observer) (*Sampler, error) {
	return startSampler(pid, rec, obs, false)
}

func startSampler(pid int, rec *timeline.Recorder, obs Observer, attach bool) (*Sampler, error) {
	s := &Sampler{root: pid, rec: rec, obs: obs, stop: make(chan struct{}), done: make(chan struct{}),
		procs: map[int32]*procThreads{}, notOurs: map[int32]bool{}, lanes: map[[2]int32]*laneState{},
		buf: make([]byte, 8192), seenPIDs: map[int32]bool{}, attach: attach}
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

// OwnPerCore is the sampler thread's CPU on each core. Call it after Stop.
func (s *Sampler) OwnPerCore() map[int]time.Duration { return s.own.on }

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
	s.own = openOwnCores()
	defer s.own.close()
	next := timeline.Now()
	for n := 0; ; n++ {
		s.n = n
		s.lookForNew(n)
		now := timeline.Now()
		s.readAll(now, n)
		if n%drawEvery == 0 {
			s.drawSettled(now - int64(settleLag))
			s.own.note(s.buf)
		}
		select {
		case <-s.stop:
			s.scan()
			s.readAll(timeline.Now(), 0)
			s.drawSettled(1 << 62)
			s.closeLanes()
			s.closeAll()
			s.own.note(s.buf)
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

// lookForNew finds new processes and threads: by listing /proc now and then, and
// more often from the known threads' children files: every 10 samples for every
// process, and every sample for a process that started one lately (a shell loop's
// children live a few milliseconds and would start and end unseen between two
// looks). Pools start their workers early in a program: every 10 ms for its first
// 200, counted from its last exec.
func (s *Sampler) lookForNew(n int) {
	switch {
	case n%rescanEvery == 0:
		s.scan()
	case n%10 == 0:
		s.scanChildren(n, true)
		if n-s.rescanFrom < 200 {
			s.scanAllThreads()
		}
	default:
		s.scanChildren(n, false)
	}
}

// sleepUntil sleeps the sampler's thread until the monotonic instant t with a raw
// clock_nanosleep. Through the syscall package each of the thousand sleeps a second
// left a P in a system call for sysmon to take back, which kept sysmon polling and
// cost the watched program a share of a core (docs/performance.md). Raw, the thread
// keeps its P while it sleeps, so the sampler runs with a P of its own (see
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

// close closes every file of the thread's.
func (th *threadFiles) close() {
	closeFiles(th.stat, th.sched, th.dir, th.children, th.syscall)
	th.stat, th.sched, th.dir, th.children, th.syscall = -1, -1, -1, -1, -1
}

// readKept reads the thread's file name into buf through the descriptor *fd, opening
// it the first time.
func (th *threadFiles) readKept(fd *int, name string, buf []byte) (int, bool) {
	if *fd < 0 {
		f, err := unix.Openat(th.dir, name, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			return 0, false
		}
		*fd = f
	}
	return rawPread(*fd, buf)
}

func closeFiles(fds ...int) {
	for _, fd := range fds {
		if fd >= 0 {
			unix.Close(fd)
		}
	}
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
			th.close()
		}
	}
}

// closeLanes ends every live thread's lane at its last reading, with its CPU clock
// then, when the watch asked for it.
func (s *Sampler) closeLanes() {
	if !s.closeAtStop {
		return
	}
	for pid, p := range s.procs {
		for tid, th := range p.threads {
			ls := s.lanes[[2]int32{pid, tid}]
			if ls == nil || th.stat < 0 || !th.read {
				continue
			}
			ls.lane.Append(timeline.Event{T: th.prev.t, CPUTime: th.prev.runtime, Task: timeline.NoTask,
				PID: pid, TID: tid, CPU: timeline.NoCPU, State: timeline.Off})
		}
	}
}
