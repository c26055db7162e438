package ui

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/experiment"
	"github.com/coreography/coreography/timeline"
)

// RunPanel runs experiments and draws them as they happen: a header, the timeline, its
// legend and the measured figures. The specs run one after another, each into its own
// Recorder, and are drawn on one time axis so they compare. After a run the learner
// can replay it slowed down.
type RunPanel struct {
	c             *Common
	tl            *Timeline
	width, height int
	specs         []experiment.Spec

	id    int64 // tells this panel's ticks from another's
	gen   int   // bumps whenever ticks must start over: older ones die
	state panelState

	cancel   context.CancelFunc
	finished chan struct{} // closed when the run goroutine has returned
	mu       sync.Mutex
	recs     []*timeline.Recorder // guarded by mu: one per spec begun

	traces []*timeline.Trace // the frame drawn; owned by Update
	stats  []timeline.Stats
	err    error

	paused    bool
	replaying bool
	playPos   int64     // ns since begin the replay had reached at playAt
	playAt    time.Time //
	speed     int       // index into playbackSpeeds
	now       func() time.Time

	obs  observer
	view string // what View returns; rebuilt when something changes, not per call
}

type panelState int

const (
	panelReady panelState = iota
	panelRunning
	panelDone
	panelFailed
	panelStopped
)

func (s panelState) String() string {
	return [...]string{"ready", "running", "done", "failed", "stopped"}[s]
}

// playbackSpeeds are the replay speeds s cycles through: at 0.01× a 5 ms GIL hand-off
// takes half a second.
var playbackSpeeds = []float64{1, 0.5, 0.1, 0.01}

// frameInterval is how often a live or replaying panel redraws.
const frameInterval = time.Second / 30

// stopWait bounds how long Stop waits for an engine to return.
const stopWait = 5 * time.Second

// RunsDoneMsg is sent when a run set finishes, fails or is stopped.
type RunsDoneMsg struct {
	Stats []timeline.Stats
	Err   error
}

type panelTickMsg struct {
	id  int64
	gen int
}

type panelFinishedMsg struct {
	id  int64
	gen int
	err error
}

var panelIDs atomic.Int64

// NewRunPanel makes a panel that runs experiments with c.Runner.
func NewRunPanel(c *Common) *RunPanel {
	return &RunPanel{c: c, tl: NewTimeline(c.Styles), id: panelIDs.Add(1), obs: newObserver(), now: time.Now}
}

// SetRuns says what Run will run, one after another on one time axis, and clears
// what the last run showed.
func (p *RunPanel) SetRuns(specs []experiment.Spec) {
	p.Stop()
	p.specs = append([]experiment.Spec(nil), specs...)
	p.state, p.traces, p.stats, p.err, p.replaying, p.paused = panelReady, nil, nil, nil, false, false
	p.mu.Lock()
	p.recs = nil
	p.mu.Unlock()
	p.tl.Reset()
	p.render()
}

// ShowTraces shows recorded runs, as after a run of them: for replays, for comparing
// runs the lab kept, and for a lesson step the learner comes back to. Run still runs
// what SetRuns said, if anything.
func (p *RunPanel) ShowTraces(traces []*timeline.Trace) {
	p.Stop()
	p.traces = traces
	p.stats = make([]timeline.Stats, len(traces))
	for i, t := range traces {
		p.stats[i] = timeline.Compute(t)
	}
	p.state, p.err, p.replaying, p.paused = panelDone, nil, false, false
	p.obs.measured = false
	p.tl.Reset()
	p.render()
}

// Run starts the runs (again), stopping any still going.
func (p *RunPanel) Run() tea.Cmd {
	p.Stop()
	if len(p.specs) == 0 {
		return nil
	}
	p.gen++
	gen, id, specs, runner := p.gen, p.id, p.specs, p.c.Runner
	ctx, cancel := context.WithCancel(context.Background())
	finished, result := make(chan struct{}), make(chan error, 1)
	p.cancel, p.finished = cancel, finished
	p.mu.Lock()
	p.recs = nil
	p.mu.Unlock()
	p.state, p.traces, p.stats, p.err, p.replaying, p.paused = panelRunning, nil, nil, nil, false, false
	p.tl.Follow()
	p.obs.start()
	go func() {
		defer close(finished)
		result <- p.runAll(ctx, runner, specs)
	}()
	p.render()
	wait := func() tea.Msg {
		<-finished
		return panelFinishedMsg{id: id, gen: gen, err: <-result}
	}
	return tea.Batch(p.tick(), wait)
}

// runAll runs the specs in order on the run goroutine, stopping at the first error.
func (p *RunPanel) runAll(ctx context.Context, runner experiment.Runner, specs []experiment.Spec) error {
	if runner == nil {
		return errors.New("no engine to run experiments with")
	}
	for i, s := range specs {
		rec := timeline.NewRecorder(s.Meta())
		p.mu.Lock()
		p.recs = append(p.recs, rec)
		p.mu.Unlock()
		err := runner.Run(ctx, s, rec)
		// The engine is done with rec; a run that failed part-way ends here too, so
		// what it did is drawn still rather than stretching to now.
		rec.Finish(timeline.Now())
		if err != nil {
			if len(specs) > 1 {
				err = fmt.Errorf("run %d (%s): %w", i+1, s.Model, err)
			}
			return err
		}
	}
	return nil
}

// Traces are the recorded runs the panel shows once a run set has finished; nil
// before that and while one is live.
func (p *RunPanel) Traces() []*timeline.Trace {
	if p.state == panelRunning {
		return nil
	}
	return p.traces
}

// Busy reports whether a run is live.
func (p *RunPanel) Busy() bool { return p.state == panelRunning }

// Results are the figures of the last finished run set, and its error; nil before.
func (p *RunPanel) Results() ([]timeline.Stats, error) {
	switch p.state {
	case panelDone, panelFailed, panelStopped:
		return p.stats, p.err
	}
	return nil, nil
}

// Stop cancels a live run and waits, a few seconds at most, until the engine has
// returned: its workers are gone.
func (p *RunPanel) Stop() {
	if p.cancel == nil {
		return
	}
	p.cancel()
	select {
	case <-p.finished:
	case <-time.After(stopWait):
	}
	p.cancel = nil
	if p.state == panelRunning {
		p.gen++ // the finished message of the stopped run is stale now
		p.snapshot()
		p.finish(context.Canceled)
		p.state = panelStopped
	}
}

func (p *RunPanel) tick() tea.Cmd {
	id, gen := p.id, p.gen
	return tea.Tick(frameInterval, func(time.Time) tea.Msg { return panelTickMsg{id: id, gen: gen} })
}

// moving reports whether the next frame would differ from this one.
func (p *RunPanel) moving() bool {
	return !p.paused && (p.state == panelRunning || p.replaying)
}

// Update handles the panel's own ticks and results and its keys; it returns nil for
// anything else.
func (p *RunPanel) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case panelTickMsg:
		if msg.id != p.id || msg.gen != p.gen {
			return nil
		}
		if p.state == panelRunning {
			p.snapshot()
			p.obs.sample(p.traces)
		}
		p.advanceReplay()
		p.render()
		if p.moving() {
			return p.tick()
		}
	case panelFinishedMsg:
		if msg.id != p.id || msg.gen != p.gen {
			return nil
		}
		p.cancel = nil
		p.snapshot()
		p.finish(msg.err)
		p.render()
		stats, err := p.stats, p.err
		return func() tea.Msg { return RunsDoneMsg{Stats: stats, Err: err} }
	case tea.KeyPressMsg:
		return p.key(msg)
	}
	return nil
}

// snapshot takes the recorders' current state as the frame to draw.
func (p *RunPanel) snapshot() {
	p.mu.Lock()
	recs := append([]*timeline.Recorder(nil), p.recs...)
	p.mu.Unlock()
	p.traces = p.traces[:0:0]
	for _, r := range recs {
		p.traces = append(p.traces, r.Snapshot())
	}
}

// finish measures a run set that has ended.
func (p *RunPanel) finish(err error) {
	p.stats = make([]timeline.Stats, len(p.traces))
	for i, t := range p.traces {
		p.stats[i] = timeline.Compute(t)
	}
	p.err = err
	p.obs.finish(p.traces)
	switch {
	case err == nil:
		p.state = panelDone
	case errors.Is(err, context.Canceled):
		p.state = panelStopped
	default:
		p.state = panelFailed
	}
}

// SetSize lays the panel out again for width × height.
func (p *RunPanel) SetSize(width, height int) {
	p.width, p.height = width, height
	p.render()
}

// View is the panel as last drawn.
func (p *RunPanel) View() string { return p.view }
