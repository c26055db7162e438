package pools

import (
	"container/list"
	"context"
	"crypto/rand"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// The loopback server listens where any local user can connect. Its guard keeps
// another user's connections from starving a run (1,100 of them once used up the
// app's open files): every request must carry the run's token in its path (known only
// to the run's own processes), a connection that asks without it is closed at once,
// and connections that have not yet sent a request with the token are bounded: past
// maxUnproven the oldest of them that has sent nothing is closed once it is
// proofGrace old, and past maxUnprovenHard at once. The run's own clients send their request the moment
// they connect, so they prove themselves well within the grace, even in a burst of a
// few hundred.
const (
	maxUnproven     = 64
	maxUnprovenHard = 1024
	proofGrace      = 100 * time.Millisecond
)

// silentLimit is how long a connection may stay silent before its first request.
const silentLimit = 5 * time.Second

// startSlowServer serves /TOKEN/wait?d=DURATION on a free loopback port, answering
// after d; its url carries the token. Stopping it closes the listener and every
// connection.
func startSlowServer() (*slowServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	token := rand.Text() // 128 random bits
	g := &guard{ln: ln, unproven: list.New()}
	mux := http.NewServeMux()
	mux.HandleFunc("/"+token+"/wait", func(w http.ResponseWriter, r *http.Request) {
		g.prove(r.Context())
		d, err := time.ParseDuration(r.URL.Query().Get("d"))
		if err != nil || d < 0 || d > time.Minute {
			http.Error(w, "d must be a duration up to 1m", http.StatusBadRequest)
			return
		}
		select {
		case <-time.After(d):
			w.Write([]byte("ok\n"))
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		g.rejected.Add(1)
		if c, _, err := http.NewResponseController(w).Hijack(); err == nil {
			c.Close() // no answer at all: nothing to learn, nothing held
		}
	})
	// Its errors (an accept failing at the fd limit) must not reach the learner's
	// terminal as log lines: a fetch that fails says why, in one line.
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: silentLimit, ErrorLog: log.New(io.Discard, "", 0),
		ConnContext: g.connContext}
	go srv.Serve(g)
	done := make(chan struct{})
	go g.sweepEvery(proofGrace, done)
	s := newClient("http://" + ln.Addr().String() + "/" + token)
	s.guard = g
	s.stop = func() {
		close(done)
		srv.Close() // the run is over: every connection goes now, not after its handler
		s.client.CloseIdleConnections()
	}
	return s, nil
}

// guard is the server's listener: it tracks the connections that have not proven
// themselves and closes the oldest past maxUnproven.
type guard struct {
	ln       net.Listener
	mu       sync.Mutex
	unproven *list.List   // of *guardedConn, oldest first
	rejected atomic.Int64 // requests without the token, for tests
	evicted  atomic.Int64 // silent connections closed to make room
}

type guardedConn struct {
	net.Conn
	g        *guard
	elem     *list.Element // nil once proven or closed
	accepted time.Time
}

type connKey struct{}

func (g *guard) Accept() (net.Conn, error) {
	c, err := g.ln.Accept()
	if err != nil {
		return nil, err
	}
	gc := &guardedConn{Conn: c, g: g, accepted: time.Now()}
	g.mu.Lock()
	gc.elem = g.unproven.PushBack(gc)
	g.mu.Unlock()
	g.sweep(gc.accepted)
	return gc, nil
}

// sweep closes the unproven connections past the bounds, oldest first.
func (g *guard) sweep(now time.Time) {
	var evict []*guardedConn
	g.mu.Lock()
	// Silent ones first: a connection with bytes waiting has sent its request, which
	// the server is about to read (on a loaded machine, later than proofGrace).
	for _, spareSpeaking := range []bool{true, false} {
		for e := g.unproven.Front(); e != nil && g.unproven.Len() > maxUnproven; {
			c, next := e.Value.(*guardedConn), e.Next()
			hard := g.unproven.Len() > maxUnprovenHard
			if !hard && (!spareSpeaking || now.Sub(c.accepted) < proofGrace) {
				break
			}
			if spareSpeaking && unreadBytes(c.Conn) > 0 {
				e = next
				continue
			}
			g.unproven.Remove(e)
			c.elem = nil
			evict = append(evict, c)
			e = next
		}
	}
	g.mu.Unlock()
	for _, c := range evict {
		g.evicted.Add(1)
		c.Conn.Close()
	}
}

// sweepEvery sweeps while no connection arrives, until done is closed.
func (g *guard) sweepEvery(d time.Duration, done <-chan struct{}) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case now := <-t.C:
			g.sweep(now)
		case <-done:
			return
		}
	}
}

func (g *guard) Close() error   { return g.ln.Close() }
func (g *guard) Addr() net.Addr { return g.ln.Addr() }

func (g *guard) connContext(ctx context.Context, c net.Conn) context.Context {
	return context.WithValue(ctx, connKey{}, c)
}

// prove marks the connection a request with the token came on as the run's own.
func (g *guard) prove(ctx context.Context) {
	gc, ok := ctx.Value(connKey{}).(*guardedConn)
	if !ok {
		return
	}
	g.mu.Lock()
	if gc.elem != nil {
		g.unproven.Remove(gc.elem)
		gc.elem = nil
	}
	g.mu.Unlock()
}

func (c *guardedConn) Close() error {
	c.g.mu.Lock()
	if c.elem != nil {
		c.g.unproven.Remove(c.elem)
		c.elem = nil
	}
	c.g.mu.Unlock()
	return c.Conn.Close()
}
