package pools

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"time"
)

// spawner starts worker processes from one OS thread that lives exactly as long as
// the pool, for two reasons:
//
//   - On Linux a worker asks for SIGKILL when its parent dies (Pdeathsig), so that
//     killing the app kills its workers. The kernel fires that signal when the *thread*
//     that forked the child exits, not the process, and the Go runtime retires threads
//     whose goroutine ended locked (the threads engines do exactly that). Forking from
//     an arbitrary goroutine could thus kill a worker in the middle of a run; forking
//     from this thread, which exits only after every worker has been reaped, cannot.
//   - cores: K pins this thread before it forks, and a child inherits its parent
//     thread's affinity, so every thread of every worker (its runtime's included) is
//     confined to the run's cores from its first instruction.
type spawner struct {
	reqs chan spawnReq
	done chan struct{}
}

type spawnReq struct {
	cmd *exec.Cmd
	err chan error
}

// newSpawner starts the spawning thread, pinned to cores (0: all).
func newSpawner(cores int) (*spawner, error) {
	s := &spawner{reqs: make(chan spawnReq), done: make(chan struct{})}
	ready := make(chan error, 1)
	go func() {
		defer close(s.done)
		// Never unlocked: when this goroutine returns the thread exits with it, taking
		// its pinning along, and any worker somehow still alive gets its SIGKILL.
		runtime.LockOSThread()
		if err := pinThread(cores); err != nil {
			ready <- err
			return
		}
		ready <- nil
		for r := range s.reqs {
			r.err <- r.cmd.Start()
		}
	}()
	if err := <-ready; err != nil {
		<-s.done
		return nil, err
	}
	return s, nil
}

// start starts cmd on the spawning thread.
func (s *spawner) start(cmd *exec.Cmd) error {
	errc := make(chan error, 1)
	s.reqs <- spawnReq{cmd, errc}
	return <-errc
}

// close ends the spawning thread. Call it after every worker has been reaped.
func (s *spawner) close() {
	close(s.reqs)
	<-s.done
}

// SpawnCost measures what starting one worker process costs the pool's spawning
// thread when a core is free for the child: its pipes, the fork and the exec of this
// program. It is the median of n starts made one at a time, each child reaped before
// the next begins. A pool's workers start back to back, and on a machine with fewer
// cores than that each start also waits for a core while the ones before it start up:
// a cost of the machine's size, not of spawning, and not what a model of a bigger
// machine should carry.
func SpawnCost(n int) (time.Duration, error) {
	exe, err := os.Executable()
	if err != nil {
		return 0, fmt.Errorf("finding this program to start workers from: %w", err)
	}
	s, err := newSpawner(0)
	if err != nil {
		return 0, err
	}
	defer s.close()
	env := workerEnviron(0, nil)
	costs := make([]time.Duration, 0, n)
	for range max(n, 1) {
		began := time.Now()
		cmd, stdin, stdout, err := startWorkerCmd(s, exe, env, nil, io.Discard)
		if err != nil {
			return 0, fmt.Errorf("starting a worker (%s): %w", exe, err)
		}
		costs = append(costs, time.Since(began))
		stdin.Close() // no work: it exits once started
		io.Copy(io.Discard, stdout)
		stdout.Close()
		cmd.Wait()
	}
	slices.Sort(costs)
	return costs[len(costs)/2], nil
}

// startWorkerCmd starts a worker process of exe on the spawning thread s, with pipes
// for its stdin and stdout, and returns it with the app's ends of them.
func startWorkerCmd(s *spawner, exe string, env []string, extra []*os.File, stderr io.Writer) (cmd *exec.Cmd, stdin, stdout *os.File, err error) {
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, nil, nil, err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, nil, nil, err
	}
	growPipe(inW)
	growPipe(outW)
	cmd = exec.Command(exe, workerArg)
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = inR, outW, stderr
	cmd.SysProcAttr = workerSysProcAttr()
	cmd.ExtraFiles = extra
	cmd.WaitDelay = pipeGiveUp // stderr is copied by a goroutine: do not wait on it forever
	err = s.start(cmd)
	// The child has its own copies of these ends now; the app's copies would keep the
	// pipes open after the child dies and hide its death.
	inR.Close()
	outW.Close()
	if err != nil {
		inW.Close()
		outR.Close()
		return nil, nil, nil, err
	}
	return cmd, inW, outR, nil
}
