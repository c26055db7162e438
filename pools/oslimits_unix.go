//go:build unix

package pools

import "syscall"

// openFileLimit is the soft limit on open files (Go raises it to the hard limit at
// start-up, so this is all there is).
func openFileLimit() (uint64, bool) {
	var rl syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl) != nil {
		return 0, false
	}
	return uint64(rl.Cur), true
}
