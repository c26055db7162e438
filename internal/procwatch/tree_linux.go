package procwatch

import (
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// StartTree starts cmd as the root of a process group of its own, so that one signal
// ends it and everything it started, and with SIGKILL due when the app dies (Pdeathsig).
// The kernel sends that signal when the *thread* that forked the child exits, so cmd
// is started from a locked thread that lives until the tree has been waited for: wait
// runs there too, and the thread exits with it.
func StartTree(cmd *exec.Cmd, cores int) (wait func() error, err error) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	started := make(chan error, 1)
	waits := make(chan chan error)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with this goroutine
		if err := pin(cores); err != nil {
			started <- err
			return
		}
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		res := <-waits
		res <- cmd.Wait()
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	return func() error {
		res := make(chan error, 1)
		waits <- res
		return <-res
	}, nil
}

// pin restricts the calling thread, and so every process it starts, to the first
// cores usable cores (0: all).
func pin(cores int) error {
	if cores <= 0 {
		return nil
	}
	var set, want unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil {
		return err
	}
	for c := 0; c < 1024 && want.Count() < cores; c++ {
		if set.IsSet(c) {
			want.Set(c)
		}
	}
	return unix.SchedSetaffinity(0, &want)
}

// KillTree ends the whole process group rooted at pid.
func KillTree(pid int) { syscall.Kill(-pid, syscall.SIGKILL) }

// AwaitTreeGone returns once no live process of the group rooted at pid is left
// (SIGKILL is delivered asynchronously), or after a second. Zombies do not count:
// orphans wait for init to reap them, which can take a while. Call it once the root
// is reaped.
func AwaitTreeGone(pid int) {
	for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		if syscall.Kill(-pid, 0) == syscall.ESRCH || !groupAlive(pid) {
			return
		}
	}
}

// groupAlive reports whether a process of group pgid is alive (not a zombie).
func groupAlive(pgid int) bool {
	d, err := os.Open("/proc")
	if err != nil {
		return false
	}
	names, _ := d.Readdirnames(-1)
	d.Close()
	for _, name := range names {
		if name[0] < '0' || name[0] > '9' {
			continue
		}
		data, err := os.ReadFile("/proc/" + name + "/stat")
		if err != nil {
			continue
		}
		f := statFields(data)
		if len(f) > 2 && string(f[2]) == strconv.Itoa(pgid) && f[0][0] != 'Z' {
			return true
		}
	}
	return false
}

// SetGroup makes cmd the leader of a process group of its own, for short queries that
// are killed as a group when their time is up. No Pdeathsig: it would fire when the
// forking thread, not the app, ends (see StartTree).
func SetGroup(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} }
