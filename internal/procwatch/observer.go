package procwatch

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/coreography/coreography/internal/timeline"
)

// maxCommand is how much of a command line a lane's name keeps: cut at the end, so
// the pid before it is always whole.
const maxCommand = 60

// watchObserver draws every thread of a watched tree, each lane named as a programmer
// would look for it (thread name, whole pid or tid, command line) and placed under its
// parent. With no driver to say why a thread slept, asleep is idle; in a CPython
// process, asleep in a timed wait is waiting for the GIL; in the kernel (D) is I/O.
type watchObserver struct {
	rec    *timeline.Recorder
	source string
	root   int32 // the tree's root process, once started
	mu     sync.Mutex
	lanes  map[[2]int32]*timeline.Lane
	procs  map[int32]*procInfo
	order  []int32 // pids in the order first seen
}

type procInfo struct {
	Process
	key string // where its lanes sort: its parent's key, then its pid
}

// TreeMark starts the lane names of a watched process's child, under its parent.
const TreeMark = "└"

// indent draws a process's lanes as a tree, as htop's tree view does: a child's
// names start with TreeMark, one space further in for each generation below the first.
func (p *procInfo) indent() string {
	depth := strings.Count(p.key, "/")
	if depth == 0 {
		return ""
	}
	return strings.Repeat(" ", depth-1) + TreeMark
}

func newWatchObserver(rec *timeline.Recorder, source string) *watchObserver {
	return &watchObserver{rec: rec, source: source, lanes: map[[2]int32]*timeline.Lane{}, procs: map[int32]*procInfo{}}
}

// Lane implements Observer: every thread gets a lane when first seen.
func (o *watchObserver) Lane(pid, tid int32, comm string, _ bool) *timeline.Lane {
	o.mu.Lock()
	defer o.mu.Unlock()
	k := [2]int32{pid, tid}
	if l := o.lanes[k]; l != nil {
		return l
	}
	p := o.process(pid)
	l := o.rec.Lane(p.indent() + laneName(comm, pid, tid, p.Command))
	if tid == pid {
		l.SetOrder(p.key + "/0")
	} else {
		l.SetOrder(fmt.Sprintf("%s/1%010d", p.key, tid))
	}
	o.lanes[k] = l
	return l
}

// process is what is known of pid, read from /proc the first time it is asked for.
func (o *watchObserver) process(pid int32) *procInfo {
	if p := o.procs[pid]; p != nil {
		return p
	}
	p := &procInfo{Process: Process{PID: pid, PPID: parentOf(pid), Command: commandLine(pid), Python: IsPython(int(pid))}}
	p.key = fmt.Sprintf("%010d", pid)
	parent := o.procs[p.PPID]
	if parent == nil && pid != o.root && o.descends(p.PPID) {
		parent = o.process(p.PPID) // an ancestor not drawn yet: placed first, its key set
	}
	if parent != nil {
		p.key = parent.key + "/" + p.key
	}
	o.procs[pid] = p
	o.order = append(o.order, pid)
	return p
}

// descends reports whether pid is the tree's root or one of its descendants.
func (o *watchObserver) descends(pid int32) bool {
	for i := 0; i < 64 && pid > 1 && o.root > 0; i++ {
		if pid == o.root {
			return true
		}
		pid = parentOf(pid)
	}
	return false
}

// laneName is "name · pid N · command" for a process's main thread and "name · tid N"
// for its other threads.
func laneName(comm string, pid, tid int32, command string) string {
	if tid != pid {
		return fmt.Sprintf("%s · tid %d", comm, tid)
	}
	name := fmt.Sprintf("%s · pid %d", comm, pid)
	if command == "" || command == comm {
		return name
	}
	if r := []rune(command); len(r) > maxCommand {
		command = string(r[:maxCommand-1]) + "…"
	}
	return name + " · " + command
}

// Asleep implements Observer.
func (o *watchObserver) Asleep(_, _ int32, _ int64, how Sleep) (timeline.State, int32) {
	switch {
	case how.InKernel:
		return timeline.IO, timeline.NoTask
	case how.Python && how.TimedWait:
		return timeline.WaitGIL, timeline.NoTask
	}
	return timeline.Idle, timeline.NoTask
}

// Task implements Observer: a watched program has no tasks the app knows of.
func (o *watchObserver) Task(int32, int32, int64) int32 { return timeline.NoTask }

// rename names a process's main-thread lane after the program it now runs.
func (o *watchObserver) rename(pid int32, comm string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	p := o.procs[pid]
	if p == nil {
		return
	}
	p.Command, p.Python = commandLine(pid), p.Python || strings.HasPrefix(comm, "python")
	if l := o.lanes[[2]int32{pid, pid}]; l != nil {
		l.Rename(p.indent() + laneName(comm, pid, pid, p.Command))
	}
}

func (o *watchObserver) count() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.lanes)
}

// processes lists every process seen, parents before children.
func (o *watchObserver) processes() []Process {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]*procInfo, 0, len(o.order))
	for _, pid := range o.order {
		out = append(out, o.procs[pid])
	}
	slices.SortStableFunc(out, func(a, b *procInfo) int { return strings.Compare(a.key, b.key) })
	list := make([]Process, len(out))
	for i, p := range out {
		list[i] = p.Process
	}
	return list
}

// commandLine is a process's command line with its arguments joined by spaces, or ""
// once it has gone.
func commandLine(pid int32) string {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(int(pid)) + "/cmdline")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(strings.ReplaceAll(string(data), "\x00", " "))
}

// parentOf is a process's parent, or 0 once it has gone.
func parentOf(pid int32) int32 {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(int(pid)) + "/stat")
	if err != nil {
		return 0
	}
	f := statFields(data)
	if len(f) < 2 {
		return 0
	}
	pp, _ := strconv.Atoi(string(f[1]))
	return int32(pp)
}

// IsPython reports whether process pid runs CPython, from the name of its executable
// (python3, python3.11, python3.14t…): the GIL's figures are for such processes only.
func IsPython(pid int) bool {
	exe, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/exe")
	if err != nil {
		return false
	}
	return strings.HasPrefix(filepath.Base(exe), "python")
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
