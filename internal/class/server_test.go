package class

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"

	"github.com/coreography/coreography/lessons"
	"github.com/coreography/coreography/ui"
)

const testLesson = "---\nid: t\ntitle: T\nminutes: 1\nsummary: s\n---\nStep one: two threads and the GIL.\n\n```notes\nSECRET teacher note\n```\n---\nStep two.\n"

type testClass struct {
	hub  *Hub
	srv  *Server
	addr string
}

func startClass(t *testing.T, max int) *testClass {
	t.Helper()
	l, errs := lessons.Parse("t.md", []byte(testLesson))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	key, err := LoadHostKey(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	hub := NewHub()
	hub.Show(l, 0)
	srv, err := NewServer(hub, Config{Code: "otter-42", MaxStudents: max, HostKeyPEM: key,
		Student: func(seat *Seat) tea.Model { return ui.NewClassStudent(seat, nil) }})
	if err != nil {
		t.Fatal(err)
	}
	srv.penalty = 10 * time.Millisecond
	return &testClass{hub: hub, srv: srv, addr: serve(t, srv)}
}

// serve serves srv on a loopback port until the test ends, and returns its address.
func serve(tb testing.TB, srv *Server) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	tb.Cleanup(func() {
		srv.End(time.Second)
		if err := <-done; err != nil {
			tb.Errorf("Serve: %v", err)
		}
	})
	return ln.Addr().String()
}

func dial(addr, code string) (*gossh.Client, error) {
	return gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User:            "class",
		Auth:            []gossh.AuthMethod{gossh.Password(code)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         30 * time.Second,
	})
}

// student is one joined ssh session and what its screen has shown.
type student struct {
	client *gossh.Client
	sess   *gossh.Session
	mu     sync.Mutex
	out    bytes.Buffer
	closed chan struct{}
}

func join(addr, code string) (*student, error) {
	c, err := dial(addr, code)
	if err != nil {
		return nil, err
	}
	sess, err := c.NewSession()
	if err != nil {
		c.Close()
		return nil, err
	}
	if err := sess.RequestPty("xterm-256color", 30, 100, gossh.TerminalModes{}); err != nil {
		c.Close()
		return nil, err
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		c.Close()
		return nil, err
	}
	if err := sess.Shell(); err != nil {
		c.Close()
		return nil, err
	}
	s := &student{client: c, sess: sess, closed: make(chan struct{})}
	go func() {
		defer close(s.closed)
		buf := make([]byte, 4096)
		for {
			n, err := stdout.Read(buf)
			s.mu.Lock()
			s.out.Write(buf[:n])
			s.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return s, nil
}

func (s *student) screen() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

// waitFor waits until the screen shows want, or fails after d.
func (s *student) waitFor(want string, d time.Duration) error {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if strings.Contains(s.screen(), want) {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("screen never showed %q; it showed %q", want, tail(s.screen()))
}

func tail(s string) string {
	if len(s) > 300 {
		return s[len(s)-300:]
	}
	return s
}

// A hundred students join over loopback at once, and each sees the step; the
// server's memory per session is logged; one more is turned away; ending the class
// tells every student so and closes their sessions.
func TestHundredStudentsJoin(t *testing.T) {
	if testing.Short() {
		t.Skip("joins 100 ssh sessions")
	}
	n := 100
	if raceDetector {
		// Under the race detector a login's key exchange takes seconds on a shared
		// machine: a hundred at once run past the login timeout. The race detector
		// looks at the same code with fewer; go test ./... joins the hundred.
		n = 20
	}
	c := startClass(t, n)
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	goroutines := runtime.NumGoroutine()

	students := make([]*student, n)
	errs := make(chan error, n)
	sem := make(chan struct{}, 16) // fewer than the server's bound on logins at once
	var wg sync.WaitGroup
	for i := range students {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			s, err := join(c.addr, "otter-42")
			if err != nil {
				errs <- fmt.Errorf("student %d: %w", i, err)
				return
			}
			students[i] = s
			if err := s.waitFor("two threads and the GIL", 60*time.Second); err != nil {
				errs <- fmt.Errorf("student %d: %w", i, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	perSession := (int64(after.HeapInuse) - int64(before.HeapInuse)) / int64(n)
	// Both ends live in this process, the clients' buffers too: an upper bound for the server.
	t.Logf("%d students: heap in use %.1f MiB more, %.0f KiB a session; %d goroutines a session (server and client together)",
		n, float64(int64(after.HeapInuse)-int64(before.HeapInuse))/(1<<20), float64(perSession)/1024,
		(runtime.NumGoroutine()-goroutines)/n)
	if got := c.srv.Students(); got != n {
		t.Errorf("server counts %d students, want %d", got, n)
	}
	if got := c.hub.State().Students; got != n {
		t.Errorf("hub counts %d students, want %d", got, n)
	}
	for i, s := range students {
		if strings.Contains(s.screen(), "SECRET") {
			t.Errorf("student %d saw the speaker notes", i)
		}
	}

	extra, err := join(c.addr, "otter-42")
	if err == nil {
		if err := extra.waitFor("class is full", 10*time.Second); err != nil {
			t.Errorf("student %d: %v", n+1, err)
		}
		extra.client.Close()
	}

	c.srv.End(5 * time.Second)
	for i, s := range students {
		select {
		case <-s.closed:
		case <-time.After(10 * time.Second):
			t.Fatalf("student %d still connected after the class ended", i)
		}
		if !strings.Contains(s.screen(), "class ended") {
			t.Errorf("student %d never saw the class end: %q", i, tail(s.screen()))
		}
	}
}

// A student's login gets the class screen and nothing else: no shell without a
// terminal, no exec, no subsystem (sftp), no environment, no agent forwarding, no
// second session, no port forwarding either way.
func TestOnlyTheClassScreen(t *testing.T) {
	c := startClass(t, 10)
	client, err := dial(c.addr, "otter-42")
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()

	refused := func(what string, err error) {
		t.Helper()
		if err == nil {
			t.Errorf("%s was accepted", what)
		}
	}
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	refused("exec", sess.Start("id"))
	refused("a shell without a terminal", sess.Shell())
	refused("the sftp subsystem", sess.RequestSubsystem("sftp"))
	refused("an environment variable", sess.Setenv("LD_PRELOAD", "/tmp/x.so"))
	refused("agent forwarding", agent.RequestAgentForwarding(sess))
	sess.Close()

	_, err = client.Listen("tcp", "127.0.0.1:0")
	refused("remote port forwarding", err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, err = client.Dial("tcp", ln.Addr().String())
	refused("local port forwarding", err)
	_, _, err = client.OpenChannel("x11", nil)
	refused("an x11 channel", err)

	// The class screen still opens on a terminal, on a fresh login: one session a login.
	s, err := join(c.addr, "otter-42")
	if err != nil {
		t.Fatal(err)
	}
	defer s.client.Close()
	if err := s.waitFor("two threads", 20*time.Second); err != nil {
		t.Fatal(err)
	}
	second, err := s.client.NewSession()
	if err == nil {
		second.Close()
		t.Error("a second session on one login was accepted")
	}
}

// Wrong codes are refused, and an address that gave too many is refused even the
// right one until its window passes.
func TestWrongCodesRateLimited(t *testing.T) {
	c := startClass(t, 10)
	now := time.Now()
	c.srv.limiter.now = func() time.Time { return now }
	for i := range MaxWrongCodes {
		if cl, err := dial(c.addr, fmt.Sprintf("otter-%d", i)); err == nil {
			cl.Close()
			t.Fatalf("wrong code %d was accepted", i)
		}
	}
	cl, err := dial(c.addr, "otter-42")
	if err == nil {
		cl.Close()
		t.Fatal("the right code was accepted from an address that just gave too many wrong ones")
	}
	var authErr *gossh.ServerAuthError
	if !errors.As(err, &authErr) && !strings.Contains(err.Error(), "unable to authenticate") {
		t.Errorf("refused with %v, want an authentication failure", err)
	}
	now = now.Add(WrongCodeWindow)
	cl, err = dial(c.addr, "otter-42")
	if err != nil {
		t.Fatalf("the right code after the window: %v", err)
	}
	cl.Close()
}

// The host key is made once, private to its owner, and the same the next time.
func TestHostKeyKept(t *testing.T) {
	dir := t.TempDir() + "/state"
	a, err := LoadHostKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := LoadHostKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("a second start made a new host key")
	}
	if runtime.GOOS == "windows" {
		return
	}
	for path, want := range map[string]string{dir: "-rwx------", dir + "/" + HostKeyFile: "-rw-------"} {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm().String(); got != want {
			t.Errorf("%s has mode %s, want %s", path, got, want)
		}
	}
	if err := os.Chmod(dir+"/"+HostKeyFile, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadHostKey(dir); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a key others can read was used: %v", err)
	}
}

func TestNewCode(t *testing.T) {
	seen := map[string]bool{}
	for range 50 {
		code, err := NewCode()
		if err != nil {
			t.Fatal(err)
		}
		word, num, ok := strings.Cut(code, "-")
		if !ok || len(num) != 2 || !slices.Contains(codeWords, word) {
			t.Fatalf("code %q is not word-NN", code)
		}
		seen[code] = true
	}
	if len(seen) < 10 {
		t.Errorf("50 codes gave only %d different ones", len(seen))
	}
}

// A client that answers the server's questions stays however quiet its student; one
// that stops answering is closed after the idle limit.
func TestIdleClientsClosed(t *testing.T) {
	l, _ := lessons.Parse("t.md", []byte(testLesson))
	key, err := LoadHostKey(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	hub := NewHub()
	hub.Show(l, 0)
	srv, err := NewServer(hub, Config{Code: "c", HostKeyPEM: key, Idle: 400 * time.Millisecond,
		Student: func(seat *Seat) tea.Model { return ui.NewClassStudent(seat, nil) }})
	if err != nil {
		t.Fatal(err)
	}
	addr := serve(t, srv)
	answering, err := join(addr, "c")
	if err != nil {
		t.Fatal(err)
	}
	defer answering.client.Close()

	// A client that never reads its global requests never answers them.
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	conn, chans, _, err := gossh.NewClientConn(nc, addr, &gossh.ClientConfig{User: "class",
		Auth: []gossh.AuthMethod{gossh.Password("c")}, HostKeyCallback: gossh.InsecureIgnoreHostKey()})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for ch := range chans {
			ch.Reject(gossh.Prohibited, "")
		}
	}()
	silent := gossh.NewClient(conn, make(chan gossh.NewChannel), nil)
	sess, err := silent.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	closed := make(chan error, 1)
	go func() { closed <- conn.Wait() }()
	select {
	case <-closed:
		if took := time.Since(start); took < 400*time.Millisecond {
			t.Fatalf("the silent client was closed after %v, before the idle limit: by what?", took)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a client that answers nothing was not closed after the idle limit")
	}
	select {
	case <-answering.closed:
		t.Fatal("a client that answers was closed as idle")
	case <-time.After(time.Second):
	}
}
