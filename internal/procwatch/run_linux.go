package procwatch

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"

	"github.com/coreography/coreography/internal/timeline"
)

// watchRun is one watched command from its start to its last figure.
type watchRun struct {
	cmd     *exec.Cmd
	rec     *timeline.Recorder
	obs     *watchObserver
	src     source
	source  string
	waitFn  func() error
	exited  chan error
	pid     int
	begin   int64
	before  map[int]bool // this process's children before the command started
	others  func() (timeline.Others, bool)
	cores   func() (map[int]time.Duration, bool) // every core's busy time, whoever used it
	killed  bool                                 // the watch ended the tree before the command ended
	release func()                               // gives up being the tree's subreaper
}

// startRun starts cmd and its observer: the scheduler's events where allowed and
// wanted, opened before the command starts so that its first fork is seen; /proc
// sampling otherwise.
func startRun(cmd *exec.Cmd, opt Options, rec *timeline.Recorder) (*watchRun, error) {
	r := &watchRun{cmd: cmd, rec: rec, exited: make(chan error, 1), release: becomeSubreaper()}
	r.before = childrenOf(os.Getpid())
	r.source, _ = Available(opt.Source)
	var ev *eventReader
	if r.source == SourceEvents {
		var err error
		if ev, err = openEvents(); err != nil {
			r.source = SourceSampling
		}
	}
	r.obs = newWatchObserver(rec, r.source)
	r.others, r.cores = WatchOthers(0, nil), watchCoreBusy()
	wait, err := StartTree(cmd, 0)
	if err != nil {
		ev.close()
		r.release()
		return nil, err
	}
	r.waitFn, r.pid = wait, cmd.Process.Pid
	r.obs.root = int32(r.pid)
	r.begin = timeline.Now()
	rec.Begin(r.begin)
	if ev != nil {
		r.src = ev.start(r.pid, rec, r.obs)
	} else {
		s, _ := startSampler(r.pid, rec, r.obs, false)
		s.closeAtStop = true
		r.src = s
	}
	r.src.SetBegin(r.begin)
	if opt.Started != nil {
		src := r.src
		opt.Started(func() { endTree(r.pid, src.PIDs(), r.before) })
	}
	go func() { r.exited <- r.waitFn() }()
	return r, nil
}

// wait returns once the command has exited, or ctx is done and the tree was ended.
func (r *watchRun) wait(ctx context.Context) error {
	select {
	case err := <-r.exited:
		return err
	case <-ctx.Done():
		r.killed = true
		endTree(r.pid, r.src.PIDs(), r.before)
		return <-r.exited
	}
}

// finish stops the observer, ends and reaps whatever the command left running, and
// turns the run into figures: the kernel's count of the tree's CPU beside what the
// lanes hold, what other programs took, the exit status.
func (r *watchRun) finish() Watched {
	end := timeline.Now()
	samplerCPU := r.src.Stop()
	orphans := endTree(r.pid, r.src.PIDs(), r.before)
	r.release()
	w := Watched{Source: r.source, Processes: len(r.src.PIDs()), Threads: r.obs.count(), TreeCPU: -1}
	if ru, ok := r.cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		w.TreeCPU = time.Duration(ru.Utime.Nano()+ru.Stime.Nano()) + orphans
	}
	r.account(&w)
	samplerCPU -= r.dropWrapper(end, &w)
	w.Sampler = samplerCPU
	r.rec.Add(timeline.SamplerCPU, int64(samplerCPU))
	if o, ok := r.others(); ok {
		r.rec.SetOthers(o)
		w.Others = &o
	}
	r.rec.Finish(end)
	w.ExitCode = exitStatus(r.cmd.ProcessState)
	w.Procs = r.obs.processes()
	if ev, ok := r.src.(*eventReader); ok {
		w.Lost = ev.lost
	}
	return w
}

// account counts the tree's CPU that the kernel counted and no lane holds, and places
// it on the cores by their counters, so that per-core time adds up to the tree's CPU.
func (r *watchRun) account(w *Watched) {
	drawn := timeline.Compute(r.rec.Snapshot())
	busy, ok := r.cores()
	if w.TreeCPU <= drawn.CPU {
		return
	}
	w.Unattributed = w.TreeCPU - drawn.CPU
	r.rec.Add(timeline.UnattributedCPU, int64(w.Unattributed))
	if !ok {
		return
	}
	explained := map[int]time.Duration{} // the lanes' time, and the sampler's own
	for _, c := range drawn.PerCore {
		explained[c.CPU] = c.Busy
	}
	if s, ok := r.src.(*Sampler); ok {
		for c, d := range s.OwnPerCore() {
			explained[c] += d
		}
	}
	if on := placeUnseen(w.Unattributed, busy, explained); on != nil {
		r.rec.PlaceUnattributed(on)
	}
}

// dropWrapper leaves out what came before the root's last exec. A command that
// replaced itself with another program (python3 on PATH is often a shell script that
// ends in exec) starts when the program does: what came before is the wrapper's
// start-up, as an interpreter's start-up is for py-* runs, and is neither drawn nor
// counted, the observer's own CPU then included, which it returns.
func (r *watchRun) dropWrapper(end int64, w *Watched) time.Duration {
	at, comm, cpu, ok := r.src.RootExec()
	if !ok || at <= r.begin || at >= end {
		return 0
	}
	r.rec.DropBefore(at)
	r.obs.rename(int32(r.pid), comm) // its lane was named after the wrapper
	r.rec.Begin(at)
	w.BeforeExec = time.Duration(at - r.begin)
	r.rec.SetNote(fmt.Sprintf("%s · not counted: a wrapper's %v before %s's exec", r.rec.Meta().Note, w.BeforeExec.Round(time.Millisecond), comm))
	return cpu
}

// exitStatus is a finished command's status as a shell gives it: 128+N when signal
// N ended it.
func exitStatus(ps *os.ProcessState) int {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}
