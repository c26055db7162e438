package procwatch

import (
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// becomeSubreaper makes this process the parent of any orphan of the trees it starts
// (PR_SET_CHILD_SUBREAPER): a process that double-forks or calls setsid and outlives
// its parent stays a descendant, to be found, ended and reaped, its CPU counted. The
// returned func gives the role up once no watch needs it: an orphan of anything else
// the app started later is none of its business.
func becomeSubreaper() (release func()) {
	subreaper.Lock()
	defer subreaper.Unlock()
	if subreaper.n++; subreaper.n == 1 {
		unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			subreaper.Lock()
			defer subreaper.Unlock()
			if subreaper.n--; subreaper.n == 0 {
				unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)
			}
		})
	}
}

// subreaper counts the watches that need this process to be a subreaper.
var subreaper struct {
	sync.Mutex
	n int
}

// parents maps every live process to its parent, from /proc.
func parents() map[int]int {
	out := map[int]int{}
	buf := make([]byte, 1024)
	for _, name := range listDir("/proc", buf) {
		pid, err := strconv.Atoi(name)
		if err != nil {
			continue
		}
		n, ok := readSmall("/proc/"+name+"/stat", buf)
		if !ok {
			continue
		}
		if f := statFields(buf[:n]); len(f) > 1 {
			ppid, _ := strconv.Atoi(string(f[1]))
			out[pid] = ppid
		}
	}
	return out
}

// childrenOf lists the live children of pid.
func childrenOf(pid int) map[int]bool {
	out := map[int]bool{}
	for p, pp := range parents() {
		if pp == pid {
			out[p] = true
		}
	}
	return out
}

// treeMembers lists the live processes of a watched tree: the root and its
// descendants, the processes the observer saw (by pid, while they are still this
// process's descendants), and orphans this process adopted as subreaper since the
// watch began (its children now that were not before).
func treeMembers(root int, seen []int32, before map[int]bool) []int {
	pp := parents()
	self := os.Getpid()
	in := map[int]bool{root: true}
	for _, p := range seen {
		in[int(p)] = true
	}
	for p, parent := range pp {
		if parent == self && !before[p] {
			in[p] = true
		}
	}
	ours := func(p int) bool { // a descendant of this process: never another's pid reused
		for i := 0; i < 64 && p > 1; i++ {
			if p = pp[p]; p == self {
				return true
			}
		}
		return false
	}
	for grew := true; grew; {
		grew = false
		for p, parent := range pp {
			if !in[p] && in[parent] {
				in[p], grew = true, true
			}
		}
	}
	var out []int
	for p := range in {
		if _, alive := pp[p]; alive && p != self && ours(p) {
			out = append(out, p)
		}
	}
	return out
}

// endTree kills every live process of the watched tree with SIGKILL, looking again
// until none is left (one may fork as it dies), and reaps the orphans this process
// adopted, returning their CPU as the kernel counted it. The root is left for its
// own waiter to reap.
func endTree(root int, seen []int32, before map[int]bool) time.Duration {
	syscall.Kill(-root, syscall.SIGKILL)
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		live := 0
		for _, p := range treeMembers(root, seen, before) {
			if !zombie(p) {
				syscall.Kill(p, syscall.SIGKILL)
				live++
			}
		}
		if live == 0 {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	return reapAdopted(root, seen, before)
}

// reapAdopted reaps this process's children that were not its children before the
// watch began, except the root, and adds up the CPU of those the observer saw in the
// tree: an orphan it never saw may be another's, and is not counted as the tree's.
func reapAdopted(root int, seen []int32, before map[int]bool) time.Duration {
	known := map[int]bool{}
	for _, p := range seen {
		known[int(p)] = true
	}
	var cpu time.Duration
	for p := range childrenOf(os.Getpid()) {
		if p == root || before[p] {
			continue
		}
		var ru unix.Rusage
		var ws unix.WaitStatus
		if got, err := unix.Wait4(p, &ws, 0, &ru); err == nil && got == p && known[p] {
			cpu += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	return cpu
}

// zombie reports whether pid has exited and waits to be reaped (or is gone).
func zombie(pid int) bool {
	buf := make([]byte, 512)
	n, ok := readSmall("/proc/"+strconv.Itoa(pid)+"/stat", buf)
	if !ok {
		return true
	}
	f := statFields(buf[:n])
	return len(f) == 0 || f[0][0] == 'Z' || f[0][0] == 'X'
}
