package class

import (
	"net"
	"sync"
	"time"
)

// Wrong join codes are limited per address: a code of a word and a number is short,
// so guessing it must cost a guesser far more time than a class lasts.
const (
	MaxWrongCodes   = 5           // wrong codes an address may give in WrongCodeWindow
	WrongCodeWindow = time.Minute // after which an address's count starts over
	maxTracked      = 4096        // addresses remembered at once: the limiter's own bound
)

// limiter counts wrong codes per address. An address that gave MaxWrongCodes wrong
// codes is refused, right code or not, until WrongCodeWindow after its last one.
type limiter struct {
	mu    sync.Mutex
	now   func() time.Time
	addrs map[string]*strikes
}

type strikes struct {
	n    int
	last time.Time
}

func newLimiter() *limiter {
	return &limiter{now: time.Now, addrs: map[string]*strikes{}}
}

// host is the address without its port: a client's next connection has a new port.
func host(addr net.Addr) string {
	if addr == nil {
		return ""
	}
	h, _, err := net.SplitHostPort(addr.String())
	if err != nil {
		return addr.String()
	}
	return h
}

// blocked reports whether addr has used up its wrong codes.
func (l *limiter) blocked(addr net.Addr) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.addrs[host(addr)]
	if s == nil {
		return false
	}
	if l.now().Sub(s.last) >= WrongCodeWindow {
		delete(l.addrs, host(addr))
		return false
	}
	return s.n >= MaxWrongCodes
}

// wrong records a wrong code from addr.
func (l *limiter) wrong(addr net.Addr) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now, h := l.now(), host(addr)
	s := l.addrs[h]
	if s != nil && now.Sub(s.last) >= WrongCodeWindow {
		s.n = 0
	}
	if s == nil {
		if len(l.addrs) >= maxTracked {
			l.prune(now)
		}
		if len(l.addrs) >= maxTracked {
			return // full of recent guessers: the per-attempt delay still holds
		}
		s = &strikes{}
		l.addrs[h] = s
	}
	s.n++
	s.last = now
}

func (l *limiter) prune(now time.Time) {
	for h, s := range l.addrs {
		if now.Sub(s.last) >= WrongCodeWindow {
			delete(l.addrs, h)
		}
	}
}
