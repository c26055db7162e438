package cpython

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/coreography/coreography/internal/timeline"
)

// NotFoundError says the command to watch does not exist (exit status 127, as a shell's).
type NotFoundError struct{ Name string }

func (e *NotFoundError) Error() string { return e.Name + ": command not found" }

// Watched is what a watched command left behind.
type Watched struct {
	ExitCode  int // the command's exit status; -1 if a signal ended it
	Processes int // processes of its tree the sampler saw
	Threads   int // threads drawn
	// BeforeExec is the time before the command's process last replaced its program:
	// a wrapper's (a pyenv shim, env, nice) start-up, left out of the figures.
	BeforeExec time.Duration
}

// Watch runs argv as the root of a process tree of its own, with its stdout and stderr
// going to log, and draws every thread of the tree from /proc samples alone: running
// (on which core), preempted, asleep. Cancelling ctx ends the whole tree. It returns
// when the command has exited (its children are then killed: nothing outlives it).
func Watch(ctx context.Context, argv []string, log io.Writer, rec *timeline.Recorder) (Watched, error) {
	if len(argv) == 0 {
		return Watched{}, errors.New("watch: no command given")
	}
	path, err := exec.LookPath(argv[0])
	if err != nil {
		return Watched{}, &NotFoundError{Name: argv[0]}
	}
	if !SamplerAvailable {
		return Watched{}, &SetupError{"watch needs Linux: thread states and cores are read from /proc"}
	}
	cmd := exec.Command(path, argv[1:]...)
	cmd.Args[0] = argv[0]
	cmd.Stdout, cmd.Stderr = log, log
	rec.SetNote(Note())
	obs := &watchObserver{rec: rec, lanes: map[[2]int32]*timeline.Lane{}}
	wait, err := startTree(cmd, 0)
	if err != nil {
		return Watched{}, fmt.Errorf("watch: starting %s: %w", argv[0], err)
	}
	pid := cmd.Process.Pid
	begin := timeline.Now()
	rec.Begin(begin)
	sampler, _ := StartSampler(pid, rec, obs)
	sampler.SetBegin(begin)
	exited := make(chan error, 1)
	go func() { exited <- wait() }()
	var werr error
	select {
	case werr = <-exited:
	case <-ctx.Done():
		killTree(pid)
		werr = <-exited
	}
	end := timeline.Now()
	samplerCPU := sampler.Stop()
	// A command that replaced itself with another program (python3 on PATH is often
	// a shell script that ends in exec) starts when the program does: what came before
	// is the wrapper's start-up, as an interpreter's start-up is for py-* runs, and is
	// neither drawn nor counted, the sampler's own CPU then included.
	var beforeExec time.Duration
	if at, comm, cpu, ok := sampler.RootExec(); ok && at > begin && at < end {
		rec.DropBefore(at)
		obs.rename(int32(pid), comm) // its lane was named after the wrapper
		rec.Begin(at)
		samplerCPU -= cpu
		beforeExec = time.Duration(at - begin)
		rec.SetNote(fmt.Sprintf("not counted: a wrapper's %v before %s's exec · %s", beforeExec.Round(time.Millisecond), comm, Note()))
	}
	rec.Add(timeline.SamplerCPU, int64(samplerCPU))
	rec.Finish(end)
	killTree(pid) // whatever it left running in its group
	awaitTreeGone(pid)
	out := Watched{ExitCode: cmd.ProcessState.ExitCode(), Processes: len(sampler.PIDs()), Threads: obs.count(), BeforeExec: beforeExec}
	if ctx.Err() != nil {
		return out, ctx.Err()
	}
	var exitErr *exec.ExitError
	if werr != nil && !errors.As(werr, &exitErr) {
		return out, werr
	}
	return out, nil
}

// watchObserver draws every thread of a watched tree; with no driver to say why a
// thread slept, asleep is idle, or I/O when it slept in the kernel (D).
type watchObserver struct {
	rec   *timeline.Recorder
	mu    sync.Mutex
	lanes map[[2]int32]*timeline.Lane
}

func (o *watchObserver) Lane(pid, tid int32, comm string, _ bool) *timeline.Lane {
	o.mu.Lock()
	defer o.mu.Unlock()
	k := [2]int32{pid, tid}
	if l := o.lanes[k]; l != nil {
		return l
	}
	name := fmt.Sprintf("%s · pid %d", comm, pid)
	if tid != pid {
		name = fmt.Sprintf("%s · tid %d", comm, tid)
	}
	l := o.rec.Lane(strings.TrimSpace(name))
	o.lanes[k] = l
	return l
}

func (o *watchObserver) Asleep(_, _ int32, _ int64, blockedInKernel bool) (timeline.State, int32) {
	if blockedInKernel {
		return timeline.IO, timeline.NoTask
	}
	return timeline.Idle, timeline.NoTask
}

func (o *watchObserver) Task(int32, int32, int64) int32 { return timeline.NoTask }

// rename names a process's main-thread lane after the program it now runs.
func (o *watchObserver) rename(pid int32, comm string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if l := o.lanes[[2]int32{pid, pid}]; l != nil {
		l.Rename(fmt.Sprintf("%s · pid %d", comm, pid))
	}
}

func (o *watchObserver) count() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.lanes)
}
