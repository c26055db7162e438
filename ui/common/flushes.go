package common

import "sync"

// Flushes reports the renderer's writes to the panels. Bubble Tea's renderer writes to
// the terminal at most once a tick, and only a frame that changed, so a write means a
// frame has just been shown. A panel drawing its next frame then needs no timer of its
// own: a timer per frame woke the app twice more a frame (Go's poller sleeps in whole
// milliseconds, so it woke early, then again) and sysmon with it (figures in
// docs/performance.md). nil reports none.
type Flushes struct {
	mu      sync.Mutex
	flushed chan struct{} // closed by the next write
}

func NewFlushes() *Flushes { return &Flushes{flushed: make(chan struct{})} }

// Wrote is called after each write to the screen.
func (f *Flushes) Wrote() {
	f.mu.Lock()
	close(f.flushed)
	f.flushed = make(chan struct{})
	f.mu.Unlock()
}

// next is closed by the first write from now on; nil (never) for a nil Flushes.
func (f *Flushes) Next() <-chan struct{} {
	if f == nil {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.flushed
}
