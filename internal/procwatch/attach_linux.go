package procwatch

import (
	"context"
	"fmt"
	"syscall"
	"time"

	"github.com/coreography/coreography/internal/timeline"
)

// attach watches a running program and its descendants, read-only: until it exits or
// ctx is done, which detaches and ends nothing.
func attach(ctx context.Context, opt Options, rec *timeline.Recorder) (Watched, error) {
	if err := syscall.Kill(opt.PID, 0); err != nil || zombie(opt.PID) {
		return Watched{}, &NotFoundError{Name: fmt.Sprintf("process %d", opt.PID)}
	}
	w := Watched{TreeCPU: -1}
	w.Source, _ = Available(opt.Source)
	obs := newWatchObserver(rec, w.Source)
	obs.root = int32(opt.PID)
	var src source
	if w.Source == SourceEvents {
		if ev, err := openEvents(); err == nil {
			src = ev.attach(opt.PID, rec, obs)
		} else {
			w.Source = SourceSampling
		}
	}
	if src == nil {
		s, _ := startSampler(opt.PID, rec, obs, true)
		s.closeAtStop = true
		src = s
	}
	begin := timeline.Now()
	rec.Begin(begin)
	src.SetBegin(begin)
	// The program is not this process's descendant: its CPU is subtracted from what
	// other programs took as the lanes measured it.
	others := WatchOthers(0, func() time.Duration { return timeline.Compute(rec.Snapshot()).CPU })
	for tick := time.NewTicker(20 * time.Millisecond); ; {
		if syscall.Kill(opt.PID, 0) != nil || zombie(opt.PID) {
			break
		}
		select {
		case <-ctx.Done():
		case <-tick.C:
			continue
		}
		break
	}
	end := timeline.Now()
	w.Sampler = src.Stop()
	rec.Add(timeline.SamplerCPU, int64(w.Sampler))
	if o, ok := others(); ok {
		rec.SetOthers(o)
		w.Others = &o
	}
	rec.Finish(end)
	w.Processes, w.Threads, w.Procs = len(src.PIDs()), obs.count(), obs.processes()
	return w, nil
}
