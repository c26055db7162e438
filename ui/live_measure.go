package ui

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
	"github.com/coreography/coreography/ui/panel"
)

// LiveReport is what a lab-style live run measured: the run, and what watching it
// cost.
type LiveReport struct {
	Stats         timeline.Stats
	ObserverShare float64 // CPU of this process's non-worker threads over the run, as a share of one core; -1 where not measured
	Frames        int     // frames drawn while the run was live
	Shown         int     // screen updates the renderer wrote meanwhile: Frames when each frame reached the screen once
	Wall          time.Duration
}

// FPS is the frame rate the run was drawn at.
func (r LiveReport) FPS() float64 {
	if r.Wall <= 0 {
		return 0
	}
	return float64(r.Frames) / r.Wall.Seconds()
}

// MarshalJSON is the run's stats as `run --json` writes them, plus the observer's figures.
func (r LiveReport) MarshalJSON() ([]byte, error) {
	stats, err := r.Stats.MarshalJSON()
	if err != nil || len(stats) < 2 {
		return nil, errors.Join(err, errors.New("stats did not encode"))
	}
	return fmt.Appendf(stats[:len(stats)-1], `,"observer_cpu_share":%.4f,"frames":%d,"frames_shown":%d,"fps":%.1f,"live_wall_s":%.3f}`,
		r.ObserverShare, r.Frames, r.Shown, r.FPS(), r.Wall.Seconds()), nil
}

// MeasureLive runs spec in the lab, as if the learner had opened it on spec and pressed
// r: the app's own screen (the lab's lines, the panel, the help bar, in the alternate
// screen), drawn at 30 frames a second by a real Bubble Tea program into a width ×
// height screen whose output is thrown away. It reports the run and the observer's cost:
// the figure the lab shows, for a test to read. It draws the whole screen, not the
// panel alone: the renderer's work on a full screen (every drawn row hashed for its
// scroll optimisation) is part of what watching costs, and a panel-only probe read low
// (docs/performance.md).
func MeasureLive(ctx context.Context, runner experiment.Runner, spec experiment.Spec, width, height int) (LiveReport, error) {
	if err := spec.Validate(); err != nil {
		return LiveReport{}, err // the lab would not run it
	}
	m := &liveProbe{app: NewApp(AppOptions{Runner: runner, Lab: true, LabSpec: spec, Flushes: common.NewFlushes()})}
	m.panel = m.app.screen.(*Lab).panel
	m.writes.flushes = m.app.common.Flushes
	prog := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(nil), tea.WithOutput(&m.writes),
		tea.WithWindowSize(width, height), tea.WithColorProfile(colorprofile.TrueColor), tea.WithoutSignalHandler(), tea.WithFPS(panel.RendererFPS))
	_, err := prog.Run()
	m.app.Shutdown()
	switch {
	case err != nil:
		return LiveReport{}, err
	case m.done.Err != nil:
		return LiveReport{}, m.done.Err
	case len(m.done.Stats) == 0:
		return LiveReport{}, errors.New("the run recorded nothing")
	}
	share, ok := m.panel.ObserverShare()
	if !ok {
		share = -1
	}
	return LiveReport{Stats: m.done.Stats[0], ObserverShare: share, Frames: m.panel.LiveFrames(), Shown: int(m.shown), Wall: m.wall}, nil
}

// screenWrites counts the renderer's writes, reports them to the panel as the app's
// terminal does (Flushes), and throws them away: Bubble Tea writes once per flush that
// had something new to show.
type screenWrites struct {
	n       atomic.Int64
	flushes *common.Flushes
}

func (w *screenWrites) Write(b []byte) (int, error) {
	w.n.Add(1)
	w.flushes.Wrote()
	return len(b), nil
}

// liveProbe is the app in the lab, which presses r once its first screen is out and
// quits when the run is over.
type liveProbe struct {
	app    *App
	panel  *panel.RunPanel // the lab's
	start  time.Time
	wall   time.Duration
	done   panel.RunsDoneMsg
	writes screenWrites
	shown  int64 // writes while the run was live
}

// Init waits for the first screen to be written before the run starts, as the lab
// has drawn its screen before the learner presses r. That first screen carries costs
// paid once per program, not per frame (see WarmWidthTables). The lab's first screen
// may be all ASCII, so the probe builds the tables here.
func (m *liveProbe) Init() tea.Cmd {
	start := m.app.Init() // first: it starts the frames' grid with the renderer's clock
	common.WarmWidthTables()
	return tea.Batch(start, func() tea.Msg {
		for deadline := time.Now().Add(time.Second); m.writes.n.Load() == 0 && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
		return probeStartMsg{}
	})
}

// probeStartMsg starts the run once the first screen is out.
type probeStartMsg struct{}

func (m *liveProbe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case probeStartMsg:
		m.start = time.Now()
		m.shown = m.writes.n.Load() // the first screen, before the run
		_, cmd := m.app.Update(tea.KeyPressMsg{Code: 'r', Text: "r"})
		if !m.panel.Busy() {
			m.done.Err = errors.New("the lab did not start the run when r was pressed")
			return m, tea.Quit
		}
		return m, cmd
	case panel.RunsDoneMsg:
		m.done, m.wall = msg, time.Since(m.start)
		m.shown = m.writes.n.Load() - m.shown
		m.app.Update(msg)
		return m, tea.Quit
	}
	_, cmd := m.app.Update(msg)
	return m, cmd
}

func (m *liveProbe) View() tea.View { return m.app.View() }
