package pools

import (
	"bufio"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
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
	time.Sleep(3 * proofGrace) // the sweep closes the silent ones past the bound
	web.guard.mu.Lock()
	held := web.guard.unproven.Len()
	web.guard.mu.Unlock()
	if held > maxUnproven || web.guard.rejected.Load() < 100 || web.guard.evicted.Load() < 1000 {
		t.Errorf("held %d unproven connections (at most %d), rejected %d, evicted %d", held, maxUnproven, web.guard.rejected.Load(), web.guard.evicted.Load())
	}
}
