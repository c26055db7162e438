package class

import (
	"io"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	bm "charm.land/wish/v2/bubbletea"
	gossh "golang.org/x/crypto/ssh"
)

// StudentFPS caps how often a student's screen is redrawn, whatever changes.
const StudentFPS = 15

// Ended is what a student's terminal says when the teacher ends the class.
const Ended = "class ended: the teacher closed the class. Thank you for joining!"

// sessionChannel lets one session channel per connection through, with the requests
// a student's screen needs: a second channel (another program in the same login) and
// agent forwarding, X11 and environment requests are refused.
func (s *Server) sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, ch gossh.NewChannel, ctx ssh.Context) {
	opened, _ := ctx.Value(openedKey{}).(*atomic.Bool)
	if opened == nil {
		opened = &atomic.Bool{}
		ctx.SetValue(openedKey{}, opened)
	}
	if opened.Swap(true) {
		_ = ch.Reject(gossh.Prohibited, "one session per connection")
		return
	}
	ssh.DefaultSessionHandler(srv, conn, filtered{ch}, ctx)
}

type openedKey struct{}

// filtered is a session channel whose requests pass through refuse first.
type filtered struct{ gossh.NewChannel }

func (f filtered) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := f.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	go func() {
		defer close(out)
		for r := range reqs {
			if refused(r.Type) {
				if r.WantReply {
					_ = r.Reply(false, nil)
				}
				continue
			}
			out <- r
		}
	}()
	return ch, out, nil
}

// refused are the session requests a student may not make. "shell" and "pty-req"
// open the screen, "window-change" resizes it; the library refuses what it does not
// know, but it accepts agent forwarding and environment variables, so they are
// refused here, with exec and subsystems (sftp) for good measure.
func refused(kind string) bool {
	switch kind {
	case "auth-agent-req@openssh.com", "x11-req", "env", "exec", "subsystem":
		return true
	}
	return false
}

// session runs one student's screen: a seat if the class has room, a Bubble Tea
// program drawing from it, and a goodbye when the class ends.
func (s *Server) session(sess ssh.Session) {
	if !s.take() {
		_, _ = io.WriteString(sess, "The class is full: ask the teacher.\r\n")
		_ = sess.Exit(1)
		return
	}
	defer s.release()
	seat := s.hub.Join()
	defer seat.Leave()
	stop := make(chan struct{})
	defer close(stop)
	go s.keepAlive(sess, stop)
	program := func(sess ssh.Session) *tea.Program {
		pty, _, _ := sess.Pty()
		opts := append(bm.MakeOptions(sess),
			tea.WithoutSignalHandler(),
			tea.WithFPS(StudentFPS),
			tea.WithFilter(studentFilter),
			tea.WithWindowSize(min(pty.Window.Width, MaxWidth), min(pty.Window.Height, MaxHeight)),
		)
		return tea.NewProgram(s.cfg.Student(seat), opts...)
	}
	bm.MiddlewareWithProgramHandler(program)(func(sess ssh.Session) {
		if seat.State().Ended {
			_, _ = io.WriteString(sess, "\r\n"+Ended+"\r\n")
		}
	})(sess)
}

// studentFilter keeps a student's program to its own screen: a screen size no
// larger than the bounds, and no suspending (the program is the teacher's process).
func studentFilter(_ tea.Model, msg tea.Msg) tea.Msg {
	switch m := msg.(type) {
	case tea.SuspendMsg:
		return tea.ResumeMsg{}
	case tea.WindowSizeMsg:
		return tea.WindowSizeMsg{Width: min(m.Width, MaxWidth), Height: min(m.Height, MaxHeight)}
	}
	return msg
}

func (s *Server) take() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.active >= s.cfg.MaxStudents {
		s.cfg.Logf("refused a student: the class is full (%d)", s.cfg.MaxStudents)
		return false
	}
	s.active++
	s.wg.Add(1)
	return true
}

func (s *Server) release() {
	s.mu.Lock()
	s.active--
	s.mu.Unlock()
	s.wg.Done()
}

// keepAlive asks the client for an answer now and then, and closes the connection
// when none has come for the idle limit: a student who only watches still answers,
// a vanished client does not. (The connection's own idle deadline cannot tell them
// apart: the frames and these questions are writes, which keep it open.)
func (s *Server) keepAlive(sess ssh.Session, stop <-chan struct{}) {
	conn, ok := sess.Context().Value(ssh.ContextKeyConn).(gossh.Conn)
	if !ok {
		return
	}
	var answered atomic.Int64
	answered.Store(time.Now().UnixNano())
	asking := make(chan struct{}, 1) // one question at a time: an unanswered one holds a goroutine
	t := time.NewTicker(min(keepAlive, s.cfg.Idle/3))
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		if time.Since(time.Unix(0, answered.Load())) > s.cfg.Idle {
			s.cfg.Logf("closed a session from %s: no answer for %v", host(sess.RemoteAddr()), s.cfg.Idle)
			_ = conn.Close()
			return
		}
		select {
		case asking <- struct{}{}:
			go func() {
				defer func() { <-asking }()
				if _, _, err := conn.SendRequest("keepalive@openssh.com", true, nil); err == nil {
					answered.Store(time.Now().UnixNano())
				}
			}()
		default: // the last question is still unanswered
		}
	}
}
