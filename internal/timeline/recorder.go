package timeline

import (
	"cmp"
	"slices"
	"sync"
	"sync/atomic"
)

// Counter names a running total an engine keeps beside the events.
type Counter int

const (
	TasksDone       Counter = iota // tasks whose result is back
	GILSwitches                    // times the global lock passed from one thread to another
	IPCBytes                       // bytes written to and read from worker pipes, both ways
	SamplerCPU                     // ns of CPU the /proc sampler used watching the run
	RunQueue                       // ns the run's own threads waited for a core (schedstat), summed
	UnattributedCPU                // ns of CPU the kernel counted for a watched tree that no lane holds
	numCounters
)

// Recorder collects a run as it happens. Engines give each worker a Lane and append to
// it; the UI takes a Snapshot 30 times a second while they do.
//
// Appends are cheap because each lane has its own lock, which in practice only its
// worker takes: writers on different lanes never contend. Snapshots are cheap because
// lanes only grow: a snapshot keeps each lane's slice header, never copies events, and
// later appends write past the end the snapshot can see.
type Recorder struct {
	limit    // the hard ceiling on events: see limit.go
	meta     Meta
	mu       sync.Mutex // guards lanes
	lanes    []*Lane
	begin    atomic.Int64
	end      atomic.Int64
	counters [numCounters]atomic.Int64
	others   atomic.Pointer[Others]
	placed   atomic.Pointer[map[int]int64] // where the unattributed CPU ran (Trace.UnattributedOn)
	mem      memory                        // what its processes held (memory.go)
	res      results                       // task outcomes and the shared counter (results.go)
}

// NewRecorder starts a recording of a run described by meta.
func NewRecorder(meta Meta) *Recorder {
	r := &Recorder{meta: meta}
	// Results are one a task: room for them up front keeps a run of tiny tasks from
	// copying the list as it grows while the run is timed (capped: a guess, not a promise).
	r.res.list = make([]Result, 0, min(max(meta.Tasks, 0), 1<<17))
	clear(r.res.list[:cap(r.res.list)]) // mapped now: see Reserve
	r.limit.init(MaxEvents)
	r.begin.Store(Now())
	return r
}

// Meta is what the run was asked to do.
func (r *Recorder) Meta() Meta {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.meta
}

// SetName renames the run, as when the model's profile turns out to say more.
func (r *Recorder) SetName(name string) { r.setMeta(func(m *Meta) { m.Name = name }) }

// SetClock records the probe of this machine's speed made before the run.
func (r *Recorder) SetClock(c ClockProbe) { r.setMeta(func(m *Meta) { m.Clock = &c }) }

// SetProfileMeasured says when and how quietly the model's measured profile was made.
func (r *Recorder) SetProfileMeasured(s string) {
	r.setMeta(func(m *Meta) { m.ProfileMeasured = s })
}

// SetNote says how the run is observed (sampled from outside, say), for every view.
func (r *Recorder) SetNote(note string) { r.setMeta(func(m *Meta) { m.Note = note }) }

// setMeta changes what the run was asked to do under the lock, as Meta reads it.
func (r *Recorder) setMeta(set func(*Meta)) {
	r.mu.Lock()
	set(&r.meta)
	r.mu.Unlock()
}

// Begin resets the start of the run to t; engines call it once their set-up that the
// learner should not see (calibration, a loopback server) is done.
func (r *Recorder) Begin(t int64) { r.begin.Store(t) }

// Finish marks the run as over at t. Snapshots after it are no longer live.
func (r *Recorder) Finish(t int64) { r.end.CompareAndSwap(0, t) }

// SetOthers records what other programs took from the run's cores; engines call it
// once the run is over. Snapshots carry it in their Meta.
func (r *Recorder) SetOthers(o Others) { r.others.Store(&o) }

// PlaceUnattributed says on which cores the UnattributedCPU counter's time ran,
// core → ns: a watch calls it once, after the run.
func (r *Recorder) PlaceUnattributed(on map[int]int64) { r.placed.Store(&on) }

// Lane adds a lane for one worker, named as the learner should see it ("T1", "loop",
// "worker 2 · pid 4312").
func (r *Recorder) Lane(name string) *Lane {
	l := &Lane{name: name, limit: &r.limit}
	r.mu.Lock()
	r.lanes = append(r.lanes, l)
	r.mu.Unlock()
	return l
}

// SetOrder places the lane among the others: snapshots list lanes with an order key
// sorted by it, after those without (a watched tree's children under their parent,
// wherever they were first seen).
func (l *Lane) SetOrder(key string) {
	l.mu.Lock()
	l.order = key
	l.mu.Unlock()
}

// Add adds n to a counter.
func (r *Recorder) Add(c Counter, n int64) { r.counters[c].Add(n) }

// Count is a counter's running total.
func (r *Recorder) Count(c Counter) int64 { return r.counters[c].Load() }

// Lane is one worker's sequence of events.
type Lane struct {
	name   string
	mu     sync.Mutex
	events []Event
	limit  *limit
	quota  int // events this lane may still append before asking limit for more
	block  int // how many it asks for next (see firstBlock)
	order  string
}

// Append records that the worker entered a state. An event stamped earlier than the
// lane's last one (two processes' clocks read a few microseconds apart) is moved up to
// it, so a lane is always in time order.
func (l *Lane) Append(e Event) {
	l.mu.Lock()
	if l.quota == 0 {
		l.block = min(max(2*l.block, firstBlock), quotaBlock)
		if l.quota = l.limit.take(l.block); l.quota == 0 {
			l.mu.Unlock()
			return // past the ceiling: the run is being ended (see Recorder.Full)
		}
	}
	l.quota--
	if n := len(l.events); n > 0 && e.T < l.events[n-1].T {
		e.T = l.events[n-1].T
	}
	l.events = append(l.events, e)
	l.mu.Unlock()
}

// DropBefore forgets what every lane recorded before t, for a run whose start is
// known only afterwards (watch: a wrapper that replaced itself with the program). A
// lane keeps the state it was in at t, its event moved up to t with its CPU clock
// read in proportion to that instant; a lane that was over by t is dropped.
// Snapshots already taken keep what they had: the lanes get new arrays.
func (r *Recorder) DropBefore(t int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	kept := r.lanes[:0:0]
	for _, l := range r.lanes {
		l.mu.Lock()
		l.events = dropBefore(l.events, t)
		if len(l.events) > 0 {
			kept = append(kept, l)
		}
		l.mu.Unlock()
	}
	r.lanes = kept
}

func dropBefore(events []Event, t int64) []Event {
	k, _ := slices.BinarySearchFunc(events, t, func(e Event, t int64) int { return cmp.Compare(e.T, t) })
	if k == 0 {
		return events
	}
	kept := make([]Event, 0, len(events)-k+1)
	if e := events[k-1]; e.State != Off {
		if k < len(events) {
			if n := events[k]; e.CPUTime >= 0 && n.CPUTime >= e.CPUTime && n.T > e.T {
				e.CPUTime += (n.CPUTime - e.CPUTime) * (t - e.T) / (n.T - e.T)
			}
		}
		e.T = t
		kept = append(kept, e)
	}
	return append(kept, events[k:]...)
}

// Reserve makes room for n more events, for a recorder that knows about how many it
// will append (the simulator): append alone grows a long lane by a quarter at a time,
// and a large simulation spent a good part of its time copying lanes.
func (l *Lane) Reserve(n int) {
	l.mu.Lock()
	l.events = slices.Grow(l.events, n)
	// Fresh memory from the OS is only mapped when first written: write it now, so the
	// page faults are not taken on the run's clock by the thread that records.
	clear(l.events[len(l.events):cap(l.events)])
	l.mu.Unlock()
}

// Rename changes what the learner sees the lane called, as when a worker's pid becomes known.
func (l *Lane) Rename(name string) {
	l.mu.Lock()
	l.name = name
	l.mu.Unlock()
}

// Snapshot returns what has been recorded so far. While the run is live, End is now
// and states still open run to it.
func (r *Recorder) Snapshot() *Trace {
	r.mu.Lock()
	lanes := make([]LaneData, len(r.lanes))
	var keys []string
	for i, l := range r.lanes {
		l.mu.Lock()
		lanes[i] = LaneData{Name: l.name, Events: l.events[:len(l.events):len(l.events)]}
		if l.order != "" && keys == nil {
			keys = make([]string, len(r.lanes))
		}
		if keys != nil {
			keys[i] = l.order
		}
		l.mu.Unlock()
	}
	if keys != nil {
		sortLanes(lanes, keys)
	}
	meta := r.meta
	r.mu.Unlock()
	t := &Trace{Meta: meta, Begin: r.begin.Load(), End: r.end.Load(), Lanes: lanes}
	if m := r.mem.p.Load(); m != nil {
		t.Memory = m
	}
	if o := r.others.Load(); o != nil {
		t.Others = o
	}
	if t.End == 0 {
		t.Live, t.End = true, max(Now(), t.Begin)
	}
	t.TasksDone = r.counters[TasksDone].Load()
	t.GILSwitches = r.counters[GILSwitches].Load()
	t.IPCBytes = r.counters[IPCBytes].Load()
	t.SamplerCPU = r.counters[SamplerCPU].Load()
	t.UnattributedCPU = r.counters[UnattributedCPU].Load()
	if on := r.placed.Load(); on != nil {
		t.UnattributedOn = *on
	}
	r.snapshotResults(t)
	return t
}

// sortLanes orders lanes by their keys, stably; lanes without a key keep their places
// before the others.
func sortLanes(lanes []LaneData, keys []string) {
	idx := make([]int, len(lanes))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(keys[a], keys[b]) })
	sorted := make([]LaneData, len(lanes))
	for i, k := range idx {
		sorted[i] = lanes[k]
	}
	copy(lanes, sorted)
}
