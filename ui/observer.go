package ui

import (
	"fmt"
	"os"
	"time"

	"github.com/coreography/coreography/timeline"
)

// observer measures what watching costs: this process's CPU time while a run is
// live, less what the run's own in-process worker threads used (threads, gil, serial
// and asyncio run inside this process; their CPU clocks are in the trace), as a share
// of one core. Drawing 30 frames a second is not free, and the lesson says so.
type observer struct {
	clock func() (time.Duration, bool) // processCPUTime; tests make it steady
	now   func() time.Time

	ok               bool
	cpu0, workers0   time.Duration
	wall0            time.Time
	lastCPU, lastWkr time.Duration
	lastWall         time.Time
	share            float64 // of one core, over the last window or the whole run
	measured         bool
}

// observerWindow is how often the live figure updates: steadier than per frame.
const observerWindow = 500 * time.Millisecond

func newObserver() observer { return observer{clock: processCPUTime, now: time.Now} }

// start begins measuring a run.
func (o *observer) start() {
	o.cpu0, o.ok = o.clock()
	o.wall0, o.workers0, o.measured, o.share = o.now(), 0, false, 0
	o.lastCPU, o.lastWkr, o.lastWall = o.cpu0, 0, o.wall0
}

// sample updates the live figure at most once per observerWindow.
func (o *observer) sample(traces []*timeline.Trace) {
	if !o.ok {
		return
	}
	now := o.now()
	if now.Sub(o.lastWall) < observerWindow {
		return
	}
	cpu, _ := o.clock()
	wkr := inProcessWorkerCPU(traces)
	o.share = max(float64((cpu-o.lastCPU)-(wkr-o.lastWkr))/float64(now.Sub(o.lastWall)), 0)
	o.lastCPU, o.lastWkr, o.lastWall, o.measured = cpu, wkr, now, true
}

// finish measures the whole run.
func (o *observer) finish(traces []*timeline.Trace) {
	if !o.ok {
		return
	}
	cpu, _ := o.clock()
	wall := o.now().Sub(o.wall0)
	if wall <= 0 {
		return
	}
	o.share = max(float64(cpu-o.cpu0-inProcessWorkerCPU(traces))/float64(wall), 0)
	o.measured = true
}

// String is the figure as the panel shows it.
func (o *observer) String() string {
	if !o.ok || !o.measured {
		return ""
	}
	return fmt.Sprintf("ui cpu %.0f%% of a core", 100*o.share)
}

// inProcessWorkerCPU is the CPU time the traces' worker threads in this process used:
// each lane's thread CPU clock from its first event to its last, plus the stretch since
// the last when it is still computing.
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
