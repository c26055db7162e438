package timeline

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// MaxEvents is the hard ceiling on the events one Recorder keeps: 2 million events of
// 32 bytes, 64 MB (128 MB while a lane's slice grows). A spec within experiment's
// limits records well under it; a run that would pass it (a GIL switching every
// microsecond for a minute) is ended with ErrTooManyEvents instead of growing.
const MaxEvents = 2_000_000

// MaxTraceBytes is the most a trace file from `run --trace` can hold: a recording of
// MaxEvents events, each written as a worker slice and a core slice of at most
// about 256 bytes. replay reads no more than this.
const MaxTraceBytes = MaxEvents * 2 * 256

// ErrTooManyEvents ends a run whose recording reached MaxEvents.
var ErrTooManyEvents = fmt.Errorf("the run recorded %d events, the most one run may: it was stopped; use fewer tasks, fewer steps or a longer switch interval", MaxEvents)

// A lane takes events from the shared budget in blocks, so the shared counter is
// touched once per few thousand appends, not on every one. The first block is small
// and each next one twice the last, up to quotaBlock: a lane holds unused at most as
// many events as it has recorded (plus firstBlock), so the budget is the run's, and a
// thousand lanes of a few events each do not spend it on reservations.
const (
	firstBlock = 16
	quotaBlock = 4096
)

// limit is a Recorder's budget of events, shared by its lanes.
type limit struct {
	left     atomic.Int64
	full     chan struct{}
	fullOnce sync.Once
}

func (l *limit) init(n int64) {
	l.left.Store(n)
	l.full = make(chan struct{})
}

// take hands a lane up to want events; 0 means the budget is spent, and closes full.
func (l *limit) take(want int) int {
	for {
		left := l.left.Load()
		if left <= 0 {
			l.fullOnce.Do(func() { close(l.full) })
			return 0
		}
		n := min(left, int64(want))
		if l.left.CompareAndSwap(left, left-n) {
			return int(n)
		}
	}
}

// Full is closed once the recording reached MaxEvents and events are being dropped.
// Engines end the run when it is (see pools.Run).
func (r *Recorder) Full() <-chan struct{} { return r.limit.full }

// Err is ErrTooManyEvents once the recording is full, else nil.
func (r *Recorder) Err() error {
	select {
	case <-r.limit.full:
		return ErrTooManyEvents
	default:
		return nil
	}
}

// NewRecorderLimit is NewRecorder with a lower ceiling than MaxEvents, for tests of
// what happens at the ceiling without recording millions of events.
func NewRecorderLimit(meta Meta, maxEvents int64) *Recorder {
	r := NewRecorder(meta)
	r.limit.init(min(maxEvents, MaxEvents))
	return r
}
