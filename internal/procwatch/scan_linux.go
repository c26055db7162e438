package procwatch

import (
	"bytes"
	"os"
	"slices"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/coreography/coreography/internal/timeline"
)

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
	s.procs[pid] = &procThreads{threads: map[int32]*threadFiles{}, python: IsPython(int(pid))}
	if int(pid) == s.root {
		s.procs[pid].forkedBy = s.n + lately // a command most often starts others at once
		s.forkedBy = max(s.forkedBy, s.procs[pid].forkedBy)
	}
	s.mu.Lock()
	s.seenPIDs[pid] = true
	s.mu.Unlock()
}

// scanAllThreads finds every member's new threads.
func (s *Sampler) scanAllThreads() {
	s.threads = 0
	for pid, p := range s.procs {
		s.scanThreads(pid, p)
		s.threads += len(p.threads)
	}
	s.scanned = timeline.Now()
}

// scanChildren finds the tree's new processes from its members' children files
// (/proc/PID/task/TID/children), and their threads: every member's at sample n when
// all, else only those that started a process lately (see lookForNew). Listing all of /proc is the full
// scan's job, every rescanEvery samples (it also finds a member's orphans, by process
// group): it costs many times more.
func (s *Sampler) scanChildren(n int, all bool) {
	if !all && n > s.forkedBy {
		return // no process started another lately
	}
	var found []int32
	for _, p := range s.procs {
		if !all && n > p.forkedBy {
			continue
		}
		for _, th := range p.threads {
			size, ok := th.readKept(&th.children, "children", s.buf)
			if !ok {
				continue
			}
			for rest := s.buf[:size]; len(rest) > 0; {
				child, r := nextField(rest)
				if len(r) == len(rest) {
					break
				}
				rest = r
				if c := int32(child); c > 0 && s.procs[c] == nil {
					found = append(found, c)
					p.forkedBy = n + lately
					s.forkedBy = p.forkedBy
				}
			}
		}
	}
	for _, c := range found {
		if s.procs[c] == nil {
			s.adopt(c)
			s.scanThreads(c, s.procs[c])
			s.threads += len(s.procs[c].threads)
		}
	}
}

// lately is how many samples a process that started another has its children looked
// for every sample.
const lately = 50

// readAt reads the small file name in the directory dirfd into buf.
func readAt(dirfd int, name string, buf []byte) (int, bool) {
	fd, err := unix.Openat(dirfd, name, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0, false
	}
	n, ok := rawPread(fd, buf)
	unix.Close(fd)
	return n, ok
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
		// The thread's directory stays open: its other files are opened from it, with
		// no walk of /proc's paths, which cost more than the reading.
		tdir, err0 := unix.Open(dir+"/"+name, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		stat, err1 := unix.Openat(tdir, "stat", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		sched, err2 := unix.Openat(tdir, "schedstat", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err0 != nil || err1 != nil || err2 != nil {
			closeFiles(tdir, stat, sched)
			continue
		}
		size, _ := readAt(tdir, "comm", s.buf)
		// Found by the first scan of a program it attached to, a thread's past is not
		// the watch's; otherwise it started meanwhile, and all its CPU is the tree's.
		fromBirth := !s.attach || s.scanned != 0
		p.threads[int32(tid)] = &threadFiles{stat: stat, sched: sched, comm: string(bytes.TrimSpace(s.buf[:size])),
			fromBirth: fromBirth, dir: tdir, children: -1, syscall: -1}
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
