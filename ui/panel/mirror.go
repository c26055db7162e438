package panel

import "github.com/coreography/coreography/internal/timeline"

// This file is the panel drawing a run that runs elsewhere: a class's students draw
// the teacher's run from its traces, at their own size, and never run anything.

// Mirror shows traces of a run going on elsewhere: live, the run so far, drawn as a
// live run is; finished, as after a run, to zoom, pan and replay.
func (p *RunPanel) Mirror(traces []*timeline.Trace, live bool) {
	if !live {
		p.ShowTraces(traces)
		return
	}
	if !p.state.live() {
		p.Stop()
		p.gen++
		p.show(panelRunning, nil)
		p.tl.Follow()
		p.obs.skip()
	}
	if p.state == panelRunning { // paused: the viewer froze the frame
		p.traces = traces
		p.frames++
	}
	p.render()
}

// LiveSource returns the live run's traces so far, safe to call from any goroutine:
// what a class sends its students. nil when no run is live here.
func (p *RunPanel) LiveSource() func() []*timeline.Trace {
	if p.run == nil {
		return nil
	}
	return p.run.snapshot
}
