//go:build unix

package pools

import (
	"bufio"
	"fmt"
	"net"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/experiment"
)

// Tests named TestHostileNN… are issue 28's hostile cases, NN its item number.

// Issue 28 #12: another local user's connections cannot starve the loopback server.
// 1,100 silent connections and a hundred requests without the run's token are held
// to at most maxUnproven, those without the token are closed at once, and the run's
// own requests all get through meanwhile.
func TestHostile12LoopbackServerOutlastsAFlood(t *testing.T) {
	web, err := startSlowServer()
	if err != nil {
		t.Fatal(err)
	}
	defer web.stop()
	u, _ := url.Parse(web.url)
	var flood []net.Conn
	defer func() {
		for _, c := range flood {
			c.Close()
		}
	}()
	for range 1100 {
		c, err := net.Dial("tcp", u.Host)
		if err != nil {
			t.Fatalf("attacker's dial: %v", err)
		}
		flood = append(flood, c)
	}
	// A request without the token gets no answer: the connection is closed at once.
	for i := range 100 {
		c, err := net.Dial("tcp", u.Host)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(c, "GET /wait?d=1m HTTP/1.1\r\nHost: %s\r\n\r\n", u.Host)
		c.SetReadDeadline(time.Now().Add(2 * time.Second))
		line, err := bufio.NewReader(c).ReadString('\n')
		if err == nil || strings.Contains(err.Error(), "timeout") {
			t.Fatalf("request %d without the token: answered %q, %v; want the connection closed at once", i, line, err)
		}
		c.Close()
	}
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for range 200 {
		wg.Go(func() { errs <- web.get(nil, time.Millisecond) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("the run's own request failed amid the flood: %v", err)
		}
	}
	// The sweep closes the silent ones past the bound within a few of its rounds; on a
	// machine that go test ./... keeps busy, a round can come late.
	held := 0
	for deadline := time.Now().Add(3 * time.Second); ; {
		time.Sleep(proofGrace)
		web.guard.mu.Lock()
		held = web.guard.unproven.Len()
		web.guard.mu.Unlock()
		if held <= maxUnproven || time.Now().After(deadline) {
			break
		}
	}
	if held > maxUnproven || web.guard.rejected.Load() < 100 || web.guard.evicted.Load() < 1000 {
		t.Errorf("held %d unproven connections (at most %d), rejected %d, evicted %d", held, maxUnproven, web.guard.rejected.Load(), web.guard.evicted.Load())
	}
}

// Issue 28 #17: processes and py-* models are checked against ulimit -u and -n too,
// with a line that names the limit (ulimit -n 10 said "install CPython").
func TestHostile17OSLimitsCoverEveryModel(t *testing.T) {
	for _, m := range []experiment.Model{experiment.Processes, experiment.PyProcesses, experiment.PyPool, experiment.PySerial, experiment.PyThreads} {
		spec := experiment.Spec{Model: m, Workers: 8, Tasks: mustTasks(t, "8*cpu(1ms)")}
		if threadsNeeded(spec) <= runtime.GOMAXPROCS(0)+8 && m != experiment.PySerial {
			t.Errorf("%s: %d threads needed, no more than the app's own", m, threadsNeeded(spec))
		}
		if filesNeeded(spec) <= 64 {
			t.Errorf("%s: %d files needed, no more than the app's own", m, filesNeeded(spec))
		}
	}
	var rl syscall.Rlimit
	syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl)
	defer syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl)
	low := rl
	low.Cur = 40
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &low); err != nil {
		t.Skip(err)
	}
	err := checkOSLimits(experiment.Spec{Model: experiment.PyProcesses, Workers: 2, Tasks: mustTasks(t, "8*cpu(1ms)")})
	if err == nil || !strings.Contains(err.Error(), "ulimit -n is 40") {
		t.Errorf("py-processes under ulimit -n 40: %v", err)
	}
}
