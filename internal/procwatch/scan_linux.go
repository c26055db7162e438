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
// (/proc/PID/task/TID/children), and their threads, and says how many it found. Listing all of /proc is the full
// scan's job, every rescanEvery samples (it also finds a member's orphans, by process
// group): it costs many times more.
func (s *Sampler) scanChildren() int {
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
			s.scanThreads(c, s.procs[c])
			s.threads += len(s.procs[c].threads)
		}
	}
	return len(found)
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
		// Found by the first scan of a program it attached to, a thread's past is not
		// the watch's; otherwise it started meanwhile, and all its CPU is the tree's.
		fromBirth := !s.attach || s.scanned != 0
		p.threads[int32(tid)] = &threadFiles{stat: stat, sched: sched, comm: string(bytes.TrimSpace(comm)),
			fromBirth: fromBirth, dir: dir + "/" + name}
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
