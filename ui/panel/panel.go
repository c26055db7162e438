// Package panel is the run panel: it runs experiments and draws them live, then
// replays them, measuring what watching costs.
package panel

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/lessons"
	"github.com/coreography/coreography/ui/common"
	uitimeline "github.com/coreography/coreography/ui/timeline"
)

// RunPanel runs experiments and draws them as they happen: a header, the timeline, its
// legend and the measured figures. The specs run one after another, each into its own
// Recorder, and are drawn on one time axis so they compare. After a run the learner
// can replay it slowed down. Screens use it through its methods only.
type RunPanel struct {
	c             *common.Common
	tl            *uitimeline.Timeline
	width, height int
	specs         []experiment.Spec

	id    int64 // tells this panel's ticks from another's
	gen   int   // bumps whenever ticks must start over: older ones die
	state panelState
	run   *runSet // the live run set; nil when none

	traces []*timeline.Trace // the frame drawn; owned by Update
	stats  []timeline.Stats
	err    error
	live   liveSummary // a watched program's figures so far (watched.go)

	playPos int64     // ns since begin the replay had reached at playAt
	playAt  time.Time //
	speed   int       // index into playbackSpeeds
	asked   int       // the speed to go back to after a replay a lesson asked for; -1: none

	named        string        // what the header calls recorded runs a screen named; "" names them from the specs or traces
	focus        focusView     // overview, close-up or both, for finished runs
	focusWidth   time.Duration // the close-up's width a lesson fixed; 0: picked from the trace
	closeUpShown bool          // the last render drew a close-up
	obs          observer
	clock        frameClock // beats while the panel moves
	view         string     // what View returns; rebuilt when something changes, not per call
	frames       int        // frames drawn while the last run set was live
}

// runSet is one Run's engines at work: the recorders they write to and how to cancel
// them. The run goroutine appends to recs while Update reads them, so a stopped run
// that is still winding down never writes into the next one's.
type runSet struct {
	cancel context.CancelFunc
	mu     sync.Mutex
	recs   []*timeline.Recorder // one per spec begun
	base   reading              // the observer's meter before the run began
}

func (r *runSet) setBase(b reading) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.base = b
}

func (r *runSet) baseReading() reading {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.base
}

func (r *runSet) add(rec *timeline.Recorder) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.recs = append(r.recs, rec)
}

// snapshot is every recorder's current state.
func (r *runSet) snapshot() []*timeline.Trace {
	r.mu.Lock()
	recs := append([]*timeline.Recorder(nil), r.recs...)
	r.mu.Unlock()
	traces := make([]*timeline.Trace, len(recs))
	for i, rec := range recs {
		traces[i] = rec.Snapshot()
	}
	return traces
}

// playbackSpeeds are the replay speeds s cycles through: full speed, then the slowed
// ones a lesson may ask for. At 0.01× a 5 ms GIL hand-off takes half a second.
var playbackSpeeds = append([]float64{1}, lessons.ReplaySpeeds...)

// now is the time on the clock replays are timed by.
func (p *RunPanel) now() time.Time {
	if p.c.Now != nil {
		return p.c.Now()
	}
	return time.Now()
}

// RunsDoneMsg is sent when a run set finishes, fails or is stopped.
type RunsDoneMsg struct {
	Stats []timeline.Stats
	Err   error
}

type panelTickMsg struct {
	id      int64
	gen     int
	traces  []*timeline.Trace // a live run's snapshot, taken by the tick's command
	reading reading           // the observer's, when one was due
}

// panelFinishedMsg names its run set, not the ticks' generation: pausing starts the
// ticks over, and a run paused once then never showed that it had finished.
type panelFinishedMsg struct {
	set       *runSet
	err       error
	traces    []*timeline.Trace
	base, end reading // the observer's meter before the run began and after it ended
}

var panelIDs atomic.Int64

// NewRunPanel makes a panel that runs experiments with c.Runner.
func NewRunPanel(c *common.Common) *RunPanel {
	return &RunPanel{c: c, tl: uitimeline.NewTimeline(c.Styles), id: panelIDs.Add(1), obs: newObserver(c.CPUMeter), asked: -1}
}

// show puts the panel in state with traces on screen and nothing else: the one reset
// every way of starting over shares. Finished traces are measured.
func (p *RunPanel) show(state panelState, traces []*timeline.Trace) {
	p.endAskedSpeed()
	p.state, p.traces, p.stats, p.err, p.named = state, traces, nil, nil, ""
	p.live = liveSummary{}
	if state.finished() {
		p.stats = make([]timeline.Stats, len(traces))
		for i, t := range traces {
			p.stats[i] = timeline.Compute(t)
		}
	}
}

// SetRuns says what Run will run, one after another on one time axis, and clears
// what the last run showed.
func (p *RunPanel) SetRuns(specs []experiment.Spec) {
	p.Stop()
	p.specs = append([]experiment.Spec(nil), specs...)
	p.show(panelReady, nil)
	p.tl.Reset()
	p.render()
}

// ShowTraces shows recorded runs, as after a run of them: for replays, for comparing
// runs the lab kept, and for a lesson step the learner comes back to. Run still runs
// what SetRuns said, if anything.
func (p *RunPanel) ShowTraces(traces []*timeline.Trace) {
	p.Stop()
	p.show(panelDone, traces)
	p.obs.measured = false
	p.tl.Reset()
	p.render()
}

// ShowNamed shows recorded runs as ShowTraces does, the header calling them name:
// the lab names the runs x compares, which are not the spec it would run next.
func (p *RunPanel) ShowNamed(name string, traces []*timeline.Trace) {
	p.ShowTraces(traces)
	p.named = name
	p.render()
}

// Run starts the runs (again), stopping any still going.
func (p *RunPanel) Run() tea.Cmd {
	p.Stop()
	if len(p.specs) == 0 {
		return nil
	}
	p.gen++
	specs, runner := p.specs, p.c.Runner
	ctx, cancel := context.WithCancel(context.Background())
	set := &runSet{cancel: cancel}
	finished := make(chan error, 1)
	p.run, p.frames = set, 0
	p.show(panelRunning, nil)
	p.tl.Follow()
	if slices.ContainsFunc(specs, func(s experiment.Spec) bool { return !s.Sim }) {
		p.obs.start()
	} else {
		p.obs.skip()
	}
	read := p.obs.reader()
	go func() {
		if read != nil {
			set.setBase(read(nil))
		}
		finished <- runAll(ctx, runner, specs, set)
	}()
	p.render()
	wait := func() tea.Msg {
		msg := panelFinishedMsg{set: set, err: <-finished}
		msg.traces = set.snapshot()
		if read != nil {
			msg.base, msg.end = set.baseReading(), read(msg.traces)
		}
		return msg
	}
	return tea.Batch(p.tick(), wait)
}

// runAll runs the specs in order on the run goroutine, stopping at the first error.
func runAll(ctx context.Context, runner experiment.Runner, specs []experiment.Spec, set *runSet) error {
	if runner == nil {
		return errors.New("no engine to run experiments with")
	}
	for i, s := range specs {
		rec := timeline.NewRecorder(s.Meta())
		set.add(rec)
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
	if p.state.live() {
		return nil
	}
	return p.traces
}

// Specs are what Run runs, as SetRuns said.
func (p *RunPanel) Specs() []experiment.Spec { return p.specs }

// ObserverShare is what watching the last run set cost: the CPU of this process's
// threads that are not its workers, as a share of one core; ok is false where it
// was not measured.
func (p *RunPanel) ObserverShare() (share float64, ok bool) { return p.obs.Share() }

// LiveFrames is how many frames the panel drew while the last run set was live.
func (p *RunPanel) LiveFrames() int { return p.frames }

// Busy reports whether a run is live.
func (p *RunPanel) Busy() bool { return p.state.live() }

// Results are the figures of the last finished run set, and its error; nil before.
func (p *RunPanel) Results() ([]timeline.Stats, error) {
	if p.state.finished() || p.state.replay() {
		return p.stats, p.err
	}
	return nil, nil
}

// Stop cancels a live run and returns at once: it never waits for the engine. The
// panel shows what the run did until now; the engine winds down on its own, and the
// app's live-runs registry waits for it when the program exits.
func (p *RunPanel) Stop() {
	p.clock.halt()
	if p.run == nil {
		return
	}
	p.run.cancel()
	if p.state.live() {
		p.gen++ // the stopped run's ticks are stale now (its finished message: p.run)
		p.traces = p.run.snapshot()
		p.finish(context.Canceled, reading{}, reading{})
	}
	p.run = nil
}

// tick is the command for the next frame, after the renderer's next flush. For a
// live run it takes the snapshot, and the observer's reading when one is due, in the
// command: Update only draws them.
func (p *RunPanel) tick() tea.Cmd {
	msg := panelTickMsg{id: p.id, gen: p.gen}
	frame := func() tea.Msg { return msg }
	if set, read := p.run, p.obs.frameReader(); p.state == panelRunning && set != nil {
		frame = func() tea.Msg {
			m := msg
			m.traces = set.snapshot()
			if read != nil {
				m.reading = read(m.traces)
			}
			return m
		}
	}
	return p.clock.next(p.gen, p.c.FrameEpoch, p.c.Flushes, frame)
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
			if p.run == nil {
				p.clock.halt() // a mirrored run: its frames come with Mirror
				return nil
			}
			if msg.traces != nil {
				p.traces = msg.traces
			}
			p.obs.sample(msg.reading)
			p.frames++
		}
		p.advanceReplay()
		p.render()
		if p.state.moving() {
			return p.tick()
		}
		p.clock.halt()
	case panelFinishedMsg:
		if p.run == nil || msg.set != p.run {
			return nil
		}
		p.traces = msg.traces
		p.run = nil
		p.finish(msg.err, msg.base, msg.end)
		p.render()
		stats, err := p.stats, p.err
		return func() tea.Msg { return RunsDoneMsg{Stats: stats, Err: err} }
	case tea.KeyPressMsg:
		return p.key(msg)
	}
	return nil
}

// finish measures a run set that has ended; base and end are the observer's meter
// before it began and once it ended, where they were read.
func (p *RunPanel) finish(err error, base, end reading) {
	p.show(outcome(err), p.traces)
	p.err = err
	p.obs.finish(base, end)
}

// SetSize lays the panel out again for width × height.
func (p *RunPanel) SetSize(width, height int) {
	p.width, p.height = width, height
	p.render()
}

// View is the panel as last drawn.
func (p *RunPanel) View() string { return p.view }
