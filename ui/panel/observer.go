package panel

import (
	"fmt"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
)

// observer measures what watching costs: the CPU time of this process's threads that
// are not a run's workers (the threads that draw and schedule frames, Bubble Tea's,
// the Go runtime's), as a share of one core. Every model is measured the same way:
// where the workers are threads of this process (threads, gil, serial, asyncio), their
// threads are left out by id; where they are subprocesses (processes), every thread
// here is the observer's. Drawing 30 frames a second is not free, and the lesson says so.
//
// Reading the meter lists this process's threads, which is I/O: the commands that
// take a frame's snapshot and the run's own goroutine read it, never Update, which
// only takes their readings.
type observer struct {
	meter *lockedMeter
	now   func() time.Time

	measuring bool // this run set is measured: it is real, not simulated
	ok        bool // the meter answered: the figure can be shown
	live      bool // the run has begun: cpu0 and wall0 are its first frame's
	cpu0      time.Duration
	wall0     time.Time
	lastCPU   time.Duration
	lastWall  time.Time
	share     float64 // of one core, over the last window or the whole run
	measured  bool    // share is a window's or the run's
}

// reading is the meter read at one instant; taken is false when none was due or the
// meter could not say.
type reading struct {
	cpu   time.Duration
	at    time.Time
	taken bool
}

// lockedMeter lets the frames' commands and the run's goroutine read one meter, one
// at a time: the meter keeps what it read last.
type lockedMeter struct {
	mu sync.Mutex
	m  common.CPUMeter
}

func (l *lockedMeter) read(traces []*timeline.Trace, now func() time.Time) reading {
	l.mu.Lock()
	defer l.mu.Unlock()
	cpu, ok := l.m.Read(traces)
	return reading{cpu: cpu, at: now(), taken: ok}
}

// observerWindow is how often the live figure updates: steadier than per frame.
const observerWindow = 500 * time.Millisecond

// newObserver measures with m; nil measures this process's threads.
func newObserver(m common.CPUMeter) observer {
	if m == nil {
		m = newObserverMeter()
	}
	return observer{meter: &lockedMeter{m: m}, now: time.Now}
}

// start begins measuring a run set.
func (o *observer) start() {
	o.measuring, o.ok, o.live, o.measured, o.share = true, false, false, false, 0
}

// skip leaves a run unmeasured: a simulated one has no workers for the app to take
// cores from, and is computed in an instant by the app itself, so its CPU over that
// instant would say nothing about drawing.
func (o *observer) skip() { o.measuring, o.ok, o.measured, o.share = false, false, false, 0 }

// reader reads the meter from any goroutine; nil when the run set is not measured.
func (o *observer) reader() func([]*timeline.Trace) reading {
	if !o.measuring {
		return nil
	}
	m, now := o.meter, o.now
	return func(traces []*timeline.Trace) reading { return m.read(traces, now) }
}

// frameReader is what the command for the next frame reads, given its snapshot: the
// meter at the first frame after the run has begun (what the engine does before,
// starting threads and scanning /proc for other programs, is not watching), then at
// most once per observerWindow. nil when the run set is not measured.
func (o *observer) frameReader() func([]*timeline.Trace) reading {
	read := o.reader()
	if read == nil {
		return nil
	}
	live, last, now := o.live, o.lastWall, o.now
	return func(traces []*timeline.Trace) reading {
		begun := slices.ContainsFunc(traces, func(t *timeline.Trace) bool { return t.Begin > 0 })
		if !live && !begun || live && now().Sub(last) < observerWindow {
			return reading{}
		}
		return read(traces)
	}
}

// sample takes a frame's reading, if one was taken.
func (o *observer) sample(r reading) {
	if !r.taken || !o.measuring {
		return
	}
	o.ok = true
	if !o.live {
		o.live, o.cpu0, o.wall0, o.lastCPU, o.lastWall = true, r.cpu, r.at, r.cpu, r.at
		return
	}
	if wall := r.at.Sub(o.lastWall); wall > 0 {
		o.share = max(float64(r.cpu-o.lastCPU)/float64(wall), 0)
		o.lastCPU, o.lastWall, o.measured = r.cpu, r.at, true
	}
}

// finish measures the whole live run: from its first frame to its last window, so
// what the engine does once the run has ended (joining its threads, the /proc scan
// again) is left out too. A run over before its first window is measured whole, from
// its first frame (or base, read before it started) to end, read once it ended; a
// run stopped before then is not measured.
func (o *observer) finish(base, end reading) {
	if !o.measuring {
		return
	}
	cpu, wall := o.lastCPU-o.cpu0, o.lastWall.Sub(o.wall0)
	if !o.measured {
		from := reading{cpu: o.cpu0, at: o.wall0, taken: o.live}
		if !from.taken {
			from = base
		}
		if !from.taken || !end.taken {
			return
		}
		o.ok = true
		cpu, wall = end.cpu-from.cpu, end.at.Sub(from.at)
	}
	if wall <= 0 {
		return
	}
	o.share = max(float64(cpu)/float64(wall), 0)
	o.measured = true
}

// Share is the last figure, as a fraction of one core; ok is false before one was taken.
func (o *observer) Share() (float64, bool) { return o.share, o.ok && o.measured }

// String is the figure as the panel shows it.
func (o *observer) String() string {
	if !o.ok || !o.measured {
		return ""
	}
	return fmt.Sprintf("ui cpu %.0f%% of a core", 100*o.share)
}

// workerThreads are the ids of the OS threads in this process that the traces' lanes
// ran on. A worker thread is locked to its goroutine for good and retired after it
// (pools' onThreads), so its id never draws a frame.
func workerThreads(traces []*timeline.Trace) map[int32]bool {
	self := int32(os.Getpid())
	tids := map[int32]bool{}
	for _, t := range traces {
		for _, l := range t.Lanes {
			for _, e := range []int{0, len(l.Events) - 1} {
				// A lane is made before its first event (a sampled thread, a worker
				// not yet started), so it may still be empty.
				if e >= 0 && e < len(l.Events) && l.Events[e].PID == self && l.Events[e].TID > 0 {
					tids[l.Events[e].TID] = true
				}
			}
		}
	}
	return tids
}

// inProcessWorkerCPU is the CPU time the traces' worker threads in this process used:
// each lane's thread CPU clock from its first event to its last, plus the stretch since
// the last when it is still computing. Where threads cannot be read one by one, the
// observer is the process less this.
func inProcessWorkerCPU(traces []*timeline.Trace) time.Duration {
	self := int32(os.Getpid())
	var total int64
	for _, t := range traces {
		for _, l := range t.Lanes {
			if len(l.Events) == 0 {
				continue
			}
			first, last := l.Events[0], l.Events[len(l.Events)-1]
			if last.PID != self || first.TID != last.TID || first.CPUTime < 0 || last.CPUTime < first.CPUTime {
				continue
			}
			total += last.CPUTime - first.CPUTime
			if last.State.OnCPU() && t.End > last.T {
				total += t.End - last.T
			}
		}
	}
	return time.Duration(total)
}
