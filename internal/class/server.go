// Package class serves a lesson to a classroom over SSH: students join with a plain
// ssh client and a join code, see the teacher's step and live run on their own
// screens, and answer its predictions; nothing a student sends reaches anything but
// their own screen.
package class

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	gossh "golang.org/x/crypto/ssh"
)

// The server's bounds, stated in docs/class.md.
const (
	DefaultListen      = ":2222"
	DefaultMaxStudents = 100
	MaxStudentsLimit   = 1000
	DefaultIdle        = 3 * time.Minute  // a client that has not answered for this long is closed
	keepAlive          = time.Minute      // how often a quiet client is asked to answer
	handshakeTimeout   = 20 * time.Second // to log in: a code typed by hand, not a script's
	maxPending         = 32               // connections still logging in, at once
	// MaxWidth and MaxHeight bound a student's screen: the cells drawn for a session,
	// and so its memory, whatever size its client claims.
	MaxWidth, MaxHeight = 500, 200
)

// Config is what a class server is started with.
type Config struct {
	Code        string        // the join code; required
	MaxStudents int           // sessions at once; 0 is DefaultMaxStudents
	Idle        time.Duration // 0 is DefaultIdle
	HostKeyPEM  []byte        // see LoadHostKey
	// Student makes the screen of a student who joined: it draws from seat and may
	// send only to it. The model must end (tea.Quit) when the class has ended.
	Student func(seat *Seat) tea.Model
	// Logf, when set, hears about refused logins and sessions (never codes).
	Logf func(format string, args ...any)
}

// Server is a class's SSH server.
type Server struct {
	hub     *Hub
	cfg     Config
	ssh     *ssh.Server
	limiter *limiter
	pending atomic.Int32 // connections not yet logged in
	mu      sync.Mutex
	active  int           // student sessions running
	penalty time.Duration // what a wrong code costs its sender
	wg      sync.WaitGroup
}

// NewServer makes the server of hub's class.
func NewServer(hub *Hub, cfg Config) (*Server, error) {
	if cfg.Code == "" {
		return nil, errors.New("class: no join code")
	}
	if cfg.MaxStudents == 0 {
		cfg.MaxStudents = DefaultMaxStudents
	}
	if cfg.MaxStudents < 1 || cfg.MaxStudents > MaxStudentsLimit {
		return nil, fmt.Errorf("--max-students should be 1 to %d, got %d", MaxStudentsLimit, cfg.MaxStudents)
	}
	if cfg.Idle == 0 {
		cfg.Idle = DefaultIdle
	}
	if cfg.Student == nil {
		return nil, errors.New("class: no student screen")
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	s := &Server{hub: hub, cfg: cfg, limiter: newLimiter(), penalty: time.Second}
	srv, err := wish.NewServer(
		wish.WithHostKeyPEM(cfg.HostKeyPEM),
		wish.WithPasswordAuth(s.password),
		wish.WithKeyboardInteractiveAuth(s.keyboard),
		wish.WithIdleTimeout(cfg.Idle),
		wish.WithVersion("coreography-class"),
	)
	if err != nil {
		return nil, fmt.Errorf("class: %w", err)
	}
	srv.HandshakeTimeout = handshakeTimeout
	srv.ConnCallback = s.admitConn
	srv.ConnectionFailedCallback = func(net.Conn, error) {}
	// Only interactive sessions: no other channel (port forwarding, direct-tcpip), no
	// global request (tcpip-forward), no subsystem (sftp).
	srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": s.sessionChannel}
	srv.RequestHandlers = map[string]ssh.RequestHandler{}
	srv.SubsystemHandlers = map[string]ssh.SubsystemHandler{}
	srv.LocalPortForwardingCallback = nil
	srv.ReversePortForwardingCallback = nil
	// A shell request opens the class screen, and only on a terminal: never a shell.
	srv.SessionRequestCallback = func(sess ssh.Session, kind string) bool {
		_, _, pty := sess.Pty()
		return kind == "shell" && pty
	}
	srv.PtyCallback = func(_ ssh.Context, pty ssh.Pty) bool { return pty.Window.Width > 0 && pty.Window.Height > 0 }
	srv.Handler = s.session
	s.ssh = srv
	return s, nil
}

// Serve accepts students on ln until End; it returns nil once the class has ended.
func (s *Server) Serve(ln net.Listener) error {
	err := s.ssh.Serve(ln)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// End ends the class: every student sees that it has, their sessions close (waiting
// at most wait for their screens to say so), and the server stops.
func (s *Server) End(wait time.Duration) {
	s.hub.End()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(wait):
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_ = s.ssh.Shutdown(ctx)
	_ = s.ssh.Close()
}

// Students is how many student sessions are open.
func (s *Server) Students() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.active
}

// admitConn bounds the connections still logging in, so a flood of half-open ones
// cannot hold the server's memory; once logged in, sessions are bounded by seats.
func (s *Server) admitConn(ctx ssh.Context, conn net.Conn) net.Conn {
	if s.pending.Add(1) > maxPending {
		s.pending.Add(-1)
		s.cfg.Logf("refused a connection from %s: %d others are logging in", host(conn.RemoteAddr()), maxPending)
		return nil
	}
	var once sync.Once
	done := func() { once.Do(func() { s.pending.Add(-1) }) }
	ctx.SetValue(loggedInKey{}, done)
	go func() { <-ctx.Done(); done() }()
	return conn
}

type loggedInKey struct{}

// loggedIn ends the connection's count among those logging in.
func loggedIn(ctx ssh.Context) {
	if done, ok := ctx.Value(loggedInKey{}).(func()); ok {
		done()
	}
}

// password is the join code given as an ssh password.
func (s *Server) password(ctx ssh.Context, given string) bool {
	return s.check(ctx, given)
}

// keyboard asks for the join code at a prompt, for clients that prefer it.
func (s *Server) keyboard(ctx ssh.Context, ask gossh.KeyboardInteractiveChallenge) bool {
	if s.limiter.blocked(ctx.RemoteAddr()) {
		return s.check(ctx, "")
	}
	answers, err := ask("", "Join the class: the teacher shows the code.", []string{"Join code: "}, []bool{false})
	if err != nil || len(answers) != 1 {
		return false
	}
	return s.check(ctx, answers[0])
}

// check lets in the right code, unless the address has run out of wrong ones; a
// wrong code costs its sender a second, as sshd does.
func (s *Server) check(ctx ssh.Context, given string) bool {
	addr := ctx.RemoteAddr()
	if s.limiter.blocked(addr) {
		s.cfg.Logf("refused %s: too many wrong codes; it may try again in %v", host(addr), WrongCodeWindow)
		time.Sleep(s.penalty)
		return false
	}
	if codeMatches(s.cfg.Code, given) {
		loggedIn(ctx)
		return true
	}
	s.limiter.wrong(addr)
	s.cfg.Logf("wrong join code from %s", host(addr))
	time.Sleep(s.penalty)
	return false
}
