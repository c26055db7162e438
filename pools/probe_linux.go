package pools

import (
	"fmt"
	"github.com/coreography/coreography/internal/procwatch"
	"unsafe"

	"golang.org/x/sys/unix"
)

// PerCoreAttribution says whether workers can tell which core they run on.
const PerCoreAttribution = true

func threadID() int { return unix.Gettid() }

// threadCPUTime is the calling thread's CPU clock in ns. It is a raw system call, as
// getcpu is: it never blocks, and through unix.ClockGettime a worker that the kernel
// descheduled inside it (likely on a busy machine, thousands of calls a second) looked
// to Go like a thread stuck in a system call, so sysmon took its P away and went back
// to polling every 20 µs: the observer's CPU, caused by the workers' probes.
func threadCPUTime() int64 {
	var ts unix.Timespec
	if _, _, errno := unix.RawSyscall(unix.SYS_CLOCK_GETTIME, unix.CLOCK_THREAD_CPUTIME_ID, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		return -1
	}
	return ts.Nano()
}

// currentCPU asks the kernel which core the calling thread is on (getcpu(2)).
func currentCPU() int16 {
	var cpu uint32
	if _, _, errno := unix.RawSyscall(unix.SYS_GETCPU, uintptr(unsafe.Pointer(&cpu)), 0, 0); errno != 0 {
		return -1
	}
	return int16(cpu)
}

// pinThread restricts the calling OS thread to the first k usable cores. The thread
// must be locked (runtime.LockOSThread) and must not be unlocked afterwards, so the
// runtime retires it instead of handing the restriction to other goroutines.
func pinThread(k int) error {
	if k <= 0 {
		return nil
	}
	cpus := procwatch.UsableCPUs()
	if k > len(cpus) {
		return fmt.Errorf("cores: asked for %d, but this process may use only %d", k, len(cpus))
	}
	var set unix.CPUSet
	for _, c := range cpus[:k] {
		set.Set(c)
	}
	if err := unix.SchedSetaffinity(0, &set); err != nil {
		return fmt.Errorf("cores: pinning to %d cores: %w", k, err)
	}
	return nil
}
