package ui

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/coreography/coreography/experiment"
	"github.com/coreography/coreography/timeline"
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

// MeasureLive runs spec the way the lab does, drawn at 30 frames a second by a real
// Bubble Tea program into a width × height screen whose output is thrown away, and
// reports the run and the observer's cost: the figure the lab shows, for a test to read.
func MeasureLive(ctx context.Context, runner experiment.Runner, spec experiment.Spec, width, height int) (LiveReport, error) {
	theme := Theme{Dark: true}
	c := &Common{Styles: NewStyles(theme), Theme: theme, Keys: DefaultKeyMap(), Runner: runner, Flushes: NewFlushes()}
	m := &liveProbe{panel: NewRunPanel(c)}
	m.writes.flushes = c.Flushes
	m.panel.SetRuns([]experiment.Spec{spec})
	prog := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(nil), tea.WithOutput(&m.writes),
		tea.WithWindowSize(width, height), tea.WithColorProfile(colorprofile.TrueColor), tea.WithoutSignalHandler(), tea.WithFPS(RendererFPS))
	if _, err := prog.Run(); err != nil {
		m.panel.Stop()
		return LiveReport{}, err
	}
	if m.done.Err != nil {
		return LiveReport{}, m.done.Err
	}
	if len(m.done.Stats) == 0 {
		return LiveReport{}, errors.New("the run recorded nothing")
	}
	share, ok := m.panel.obs.Share()
	if !ok {
		share = -1
	}
	return LiveReport{Stats: m.done.Stats[0], ObserverShare: share, Frames: m.frames, Shown: int(m.shown), Wall: m.wall}, nil
}

// screenWrites counts the renderer's writes, reports them to the panel as the app's
// terminal does (Flushes), and throws them away: Bubble Tea writes once per flush that
// had something new to show.
type screenWrites struct {
	n       atomic.Int64
	flushes *Flushes
}

func (w *screenWrites) Write(b []byte) (int, error) {
	w.n.Add(1)
	w.flushes.Wrote()
	return len(b), nil
}

// liveProbe is a screen with only a run panel, which quits when the run is over.
type liveProbe struct {
	panel  *RunPanel
	frames int
	start  time.Time
	wall   time.Duration
	done   RunsDoneMsg
	writes screenWrites
	shown  int64 // writes while the run was live
}

// Init waits for the first screen to be written before the run starts, as the lab
// has drawn its screen before the learner presses r. That first screen carries costs
// paid once per program, not per frame (see WarmWidthTables). The probe's first
// screen is an idle panel in ASCII, so it builds the tables here.
func (m *liveProbe) Init() tea.Cmd {
	m.panel.c.FrameEpoch = time.Now() // the renderer's clock starts with the program
	WarmWidthTables()
	return func() tea.Msg {
		for deadline := time.Now().Add(time.Second); m.writes.n.Load() == 0 && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
		return probeStartMsg{}
	}
}

// probeStartMsg starts the run once the first screen is out.
type probeStartMsg struct{}

func (m *liveProbe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case probeStartMsg:
		m.start = time.Now()
		m.shown = m.writes.n.Load() // the first screen, before the run
		return m, m.panel.Run()
	case tea.WindowSizeMsg:
		m.panel.SetSize(msg.Width, msg.Height)
	case panelTickMsg:
		if m.panel.state == panelRunning {
			m.frames++
		}
	case RunsDoneMsg:
		m.done, m.wall = msg, time.Since(m.start)
		m.shown = m.writes.n.Load() - m.shown
		return m, tea.Quit
	}
	return m, m.panel.Update(msg)
}

func (m *liveProbe) View() tea.View { return tea.NewView(m.panel.View()) }
