package pools

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// threadsFree is how many more threads this user may start under RLIMIT_NPROC (which
// counts every thread of every process of the user), and the limit. ok is false when
// there is no limit to worry about: unlimited, or root, whom the kernel exempts.
func threadsFree() (free, limit int, ok bool) {
	var rl syscall.Rlimit
	const rlimitNproc = 6 // RLIMIT_NPROC on Linux
	if syscall.Getrlimit(rlimitNproc, &rl) != nil || rl.Cur == ^uint64(0) || rl.Cur > 1<<22 || os.Geteuid() == 0 {
		return 0, 0, false
	}
	uid := strconv.Itoa(os.Getuid())
	used := 0
	statuses, _ := filepath.Glob("/proc/[0-9]*/status")
	for _, path := range statuses {
		used += threadsOf(path, uid)
	}
	return int(rl.Cur) - used, int(rl.Cur), true
}

// threadsOf is the Threads: count of a /proc/PID/status whose real uid is uid, or 0.
func threadsOf(path, uid string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	mine, threads := false, 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "Uid:"):
			fields := strings.Fields(line)
			mine = len(fields) > 1 && fields[1] == uid
		case strings.HasPrefix(line, "Threads:"):
			threads, _ = strconv.Atoi(strings.TrimSpace(line[len("Threads:"):]))
		}
	}
	if !mine {
		return 0
	}
	return threads
}
