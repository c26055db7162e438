//go:build unix

package pools

import (
	"strings"
	"syscall"
	"testing"

	"github.com/coreography/coreography/internal/experiment"
)

// At the fd limit a run with many http fetches is refused in one line before it
// starts, instead of net/http logging "Accept error" lines into the terminal.
func TestOpenFileLimitRefusesHTTPRun(t *testing.T) {
	var was syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &was); err != nil {
		t.Skip(err)
	}
	low := was
	low.Cur = 200
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &low); err != nil {
		t.Skip(err)
	}
	defer syscall.Setrlimit(syscall.RLIMIT_NOFILE, &was)
	ts, _ := experiment.ParseTasks("500*http(50ms)")
	err := checkOSLimits(experiment.Spec{Model: experiment.Asyncio, Workers: 1, Tasks: ts})
	if err == nil || !strings.Contains(err.Error(), "ulimit -n is 200") {
		t.Errorf("err = %v", err)
	}
	ts, _ = experiment.ParseTasks("20*http(50ms)")
	if err := checkOSLimits(experiment.Spec{Model: experiment.Asyncio, Workers: 1, Tasks: ts}); err != nil {
		t.Errorf("20 fetches refused: %v", err)
	}
}
