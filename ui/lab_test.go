package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// screen is what the lab and replay offer a root model (app.go's Screen).
type screen interface {
	Component
	Init() tea.Cmd
	Update(tea.Msg) tea.Cmd
}

// harness is a minimal root model for one screen: it sizes it, quits on ctrl+c and
// turns its string into a View.
type harness struct {
	c *Common
	s screen
}

func (h *harness) Init() tea.Cmd { return h.s.Init() }

func (h *harness) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		h.c.Width, h.c.Height = msg.Width, msg.Height
		h.s.SetSize(msg.Width, msg.Height)
		return h, nil
	case tea.KeyPressMsg:
		if msg.String() == "ctrl+c" {
			return h, tea.Quit
		}
	}
	return h, h.s.Update(msg)
}

func (h *harness) View() tea.View { return tea.NewView(h.s.View()) }

func testCommon(r experiment.Runner) *Common {
	return &Common{Styles: NewStyles(Theme{Dark: true}), Keys: DefaultKeyMap(), Runner: r}
}

// steadyObserver makes the observer's figure the same on every run: no live clock
// in a golden.
func steadyObserver(p *RunPanel) {
	p.obs.meter = steadyMeter{}
}

type steadyMeter struct{}

func (steadyMeter) Read([]*timeline.Trace) (time.Duration, bool) { return 0, true }

func mustTasks(t testing.TB, s string) experiment.Tasks {
	t.Helper()
	ts, err := experiment.ParseTasks(s)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// plain is a screen as an ASCII terminal shows it: no escape codes.
func plain(s string) string { return ansi.Strip(s) }

func checkWidth(t *testing.T, view string, width int) {
	t.Helper()
	for i, l := range strings.Split(view, "\n") {
		if w := ansi.StringWidth(l); w > width {
			t.Errorf("line %d is %d wide, more than %d: %q", i, w, width, plain(l))
		}
	}
}

func TestLabGolden(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 36}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			c := testCommon(&fakeRunner{})
			lab := NewLab(c, experiment.Spec{Model: experiment.GIL, Workers: 2, Tasks: mustTasks(t, "8*cpu(100ms)")})
			steadyObserver(lab.panel)
			tm := teatest.NewTestModel(t, &harness{c: c, s: lab}, teatest.WithInitialTermSize(size.w, size.h),
				teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
			teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("nothing recorded")) })
			before := plain(lab.View())
			tm.Type("r")
			teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("recent runs")) },
				teatest.WithDuration(5*time.Second))
			tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
			tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
			after := lab.View()
			checkWidth(t, after, size.w)
			if got := strings.Count(after, "\n") + 1; got > size.h {
				t.Errorf("the lab is %d lines high, more than %d", got, size.h)
			}
			golden.RequireEqual(t, "before run:\n"+before+"\n\nafter run:\n"+plain(after)+"\n")
		})
	}
}

// TestLabEditsAndValidates edits the spec with keys and shows what is wrong inline.
func TestLabEditsAndValidates(t *testing.T) {
	c := testCommon(&fakeRunner{})
	lab := NewLab(c, experiment.Spec{Model: experiment.Threads, Workers: 2, Tasks: mustTasks(t, "8*cpu(100ms)")})
	lab.SetSize(80, 24)
	press := func(keys string) {
		for _, r := range keys {
			lab.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		}
	}
	press("m") // threads → gil
	if lab.spec.Model != experiment.GIL {
		t.Fatalf("m: model %s, want gil", lab.spec.Model)
	}
	press("w")
	if lab.spec.Workers != 3 {
		t.Errorf("w: %d workers, want 3", lab.spec.Workers)
	}
	press("]")
	if got := lab.spec.Tasks.String(); got != "8*cpu(200ms)" {
		t.Errorf("]: tasks %s, want 8*cpu(200ms)", got)
	}
	press("mm") // gil → processes → asyncio
	lab.spec.Workers = 4
	lab.SetSize(80, 24)
	if !strings.Contains(plain(lab.View()), "asyncio runs on exactly 1 worker") {
		t.Errorf("an invalid spec shows its error inline; got:\n%s", plain(lab.View()))
	}
	if cmd := lab.Update(tea.KeyPressMsg{Code: 'r', Text: "r"}); cmd != nil || lab.panel.Busy() {
		t.Errorf("r on an invalid spec must not run")
	}
}

// TestPanelLiveStopAndStaleTicks runs a spec that stays live until released: the
// panel is busy and ticking, Stop ends it without waiting, and old ticks do nothing.
func TestPanelLiveStopAndStaleTicks(t *testing.T) {
	gate := make(chan struct{})
	c := testCommon(&fakeRunner{gate: gate})
	p := NewRunPanel(c)
	p.SetSize(80, 20)
	p.SetRuns([]experiment.Spec{{Model: experiment.Threads, Workers: 2, Tasks: mustTasks(t, "4*cpu(10ms)")}})
	if cmd := p.Run(); cmd == nil || !p.Busy() {
		t.Fatal("Run returns its commands and the panel is busy")
	}
	stale := panelTickMsg{id: p.id, gen: p.gen - 1}
	if p.Update(stale) != nil {
		t.Error("a tick of an older generation must die")
	}
	if p.Update(panelTickMsg{id: p.id, gen: p.gen}) == nil {
		t.Error("a live run keeps ticking")
	}
	if !strings.Contains(plain(p.View()), "running") {
		t.Errorf("a live panel says so:\n%s", plain(p.View()))
	}
	done := make(chan struct{})
	go func() { p.Stop(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("Stop did not return")
	}
	if p.Busy() {
		t.Error("a stopped panel is not busy")
	}
	if p.Update(panelTickMsg{id: p.id, gen: p.gen}) != nil {
		t.Error("a stopped panel stops ticking")
	}
}

func TestPanelShowsEngineError(t *testing.T) {
	c := testCommon(&fakeRunner{err: errors.New("worker 2 exited: signal: killed")})
	p := NewRunPanel(c)
	p.SetSize(80, 20)
	p.SetRuns([]experiment.Spec{{Model: experiment.Processes, Workers: 2, Tasks: mustTasks(t, "4*cpu(10ms)")}})
	cmd := p.Update(finishedMsg(t, p.Run()))
	if cmd == nil {
		t.Fatal("a failed run still reports RunsDoneMsg")
	}
	done, ok := cmd().(RunsDoneMsg)
	if !ok || done.Err == nil {
		t.Fatalf("RunsDoneMsg carries the error, got %#v", done)
	}
	view := plain(p.View())
	if !strings.Contains(view, "failed: worker 2 exited: signal: killed") {
		t.Errorf("the error shows in the panel:\n%s", view)
	}
	if _, err := p.Results(); err == nil {
		t.Error("Results returns the error")
	}
}

// finishedMsg runs the commands Run returned until the one that waits for the run
// goroutine reports.
func finishedMsg(t *testing.T, cmd tea.Cmd) tea.Msg {
	t.Helper()
	msg := cmd()
	if batch, ok := msg.(tea.BatchMsg); ok {
		for _, c := range batch {
			if m := c(); m != nil {
				if f, ok := m.(panelFinishedMsg); ok {
					return f
				}
			}
		}
	}
	if f, ok := msg.(panelFinishedMsg); ok {
		return f
	}
	t.Fatalf("Run's commands never reported the run finished")
	return nil
}

func TestReplayPlaysBackSlowly(t *testing.T) {
	c := testCommon(nil)
	tr := fakeTrace(t, experiment.GIL, 2, "4*cpu(20ms)")
	r := NewReplay(c, tr)
	r.SetSize(100, 20)
	clock := time.Unix(0, 0)
	r.panel.now = func() time.Time { return clock }
	for range 2 {
		r.Update(tea.KeyPressMsg{Code: 's', Text: "s"}) // 1× → 0.5× → 0.1×
	}
	cmd := r.Update(tea.KeyPressMsg{Code: 'R', Text: "R"})
	if cmd == nil {
		t.Fatal("R starts ticking")
	}
	clock = clock.Add(100 * time.Millisecond) // 10ms of the run at 0.1×
	if r.Update(panelTickMsg{id: r.panel.id, gen: r.panel.gen}) == nil {
		t.Fatal("a replay keeps ticking until its end")
	}
	if pos := r.panel.playPosition(); pos != int64(10*time.Millisecond) {
		t.Errorf("after 100ms at 0.1× the replay is at %v, want 10ms", time.Duration(pos))
	}
	if !strings.Contains(plain(r.View()), "replay 0.1× 10ms") {
		t.Errorf("the header says where the replay is:\n%s", plain(r.View()))
	}
	clock = clock.Add(time.Hour)
	if r.Update(panelTickMsg{id: r.panel.id, gen: r.panel.gen}) != nil {
		t.Error("a replay at its end stops ticking")
	}
	stats, err := r.panel.Results()
	if err != nil || len(stats) != 1 || stats[0].Wall != time.Duration(tr.End-tr.Begin) {
		t.Errorf("Results of a shown trace: %v, %v", stats, err)
	}
}

// w and W cannot make a one-worker model invalid: serial and asyncio keep their one
// worker, and the spec stays runnable.
func TestLabWorkersKeysOnOneWorkerModels(t *testing.T) {
	for _, m := range []experiment.Model{experiment.Serial, experiment.Asyncio} {
		lab := NewLab(testCommon(&fakeRunner{}), experiment.Spec{Model: m, Tasks: mustTasks(t, "8*cpu(100ms)")})
		lab.SetSize(80, 24)
		for _, r := range "wwW" {
			lab.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		}
		if err := lab.spec.Validate(); err != nil {
			t.Errorf("%s after w, w, W: %v", m, err)
		}
		if got := lab.spec.Normalized().Workers; got != 1 {
			t.Errorf("%s after w, w, W: %d workers, want 1", m, got)
		}
	}
	// Opened on a mix's tasks, the lab names the mix.
	lab := NewLab(testCommon(&fakeRunner{}), experiment.Spec{Model: experiment.Threads, Tasks: mustTasks(t, labMixes[1].tasks)})
	lab.SetSize(80, 24)
	if !strings.Contains(plain(lab.View()), "t "+labMixes[1].name+",") {
		t.Errorf("opened on the %s mix, the lab does not say so:\n%s", labMixes[1].name, plain(lab.View()))
	}
}

// TestLabTogglesSim: S moves the spec to the model machine, where c goes past this
// machine's cores, and back, where cores beyond it are dropped.
func TestLabTogglesSim(t *testing.T) {
	lab := NewLab(testCommon(&fakeRunner{}), experiment.Spec{Model: experiment.Threads, Workers: 2, Tasks: mustTasks(t, "8*cpu(100ms)")})
	lab.SetSize(100, 24)
	press := func(keys string) {
		for _, r := range keys {
			lab.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		}
	}
	press("S")
	if !lab.spec.Sim || !strings.Contains(plain(lab.View()), "SIMULATED") {
		t.Fatalf("S: sim %v; view:\n%s", lab.spec.Sim, plain(lab.View()))
	}
	press("ccccccc") // 0 → 1 → 2 → 4 → … → 64
	if lab.spec.Cores != 64 || lab.spec.Validate() != nil {
		t.Errorf("c on the model machine: %d cores (%v), want 64", lab.spec.Cores, lab.spec.Validate())
	}
	press("S")
	if lab.spec.Sim || lab.spec.Cores != 0 || !strings.Contains(plain(lab.View()), "machine real") {
		t.Errorf("S back: sim %v, %d cores", lab.spec.Sim, lab.spec.Cores)
	}
}

// TestLabCurve: a shows the recent runs' speed-up curve once they span three worker
// counts (g is the panel's jump to the start).
func TestLabCurve(t *testing.T) {
	lab := NewLab(testCommon(&fakeRunner{}), experiment.Spec{Model: experiment.Threads, Workers: 1, Tasks: mustTasks(t, "8*cpu(100ms)")})
	lab.SetSize(100, 30)
	lab.Update(tea.KeyPressMsg{Code: 'a', Text: "a"})
	if !strings.Contains(plain(lab.View()), "needs recent runs on 3 or more worker counts") {
		t.Fatalf("a with no runs:\n%s", plain(lab.View()))
	}
	for _, n := range []int{1, 2, 4} {
		st := timeline.Stats{Wall: time.Duration(float64(time.Second) * (0.2 + 0.8/float64(n))), Speedup: 1 / (0.2 + 0.8/float64(n))}
		st.Workers, st.Source = n, timeline.SourceReal
		lab.recent = append(lab.recent, labRun{stats: st})
	}
	if v := plain(lab.View()); !strings.Contains(v, "serial fraction 0.200") || !strings.Contains(v, "● measured") {
		t.Errorf("a with three worker counts:\n%s", v)
	}
}

// TestLabCoresKeepsWorkers: c changes the cores, never the worker count shown.
func TestLabCoresKeepsWorkers(t *testing.T) {
	c := testCommon(&fakeRunner{})
	lab := NewLab(c, experiment.Spec{Model: experiment.Threads, Tasks: mustTasks(t, "8*cpu(100ms)")})
	lab.SetSize(80, 24)
	before := lab.spec.Normalized().Workers
	for range 3 {
		lab.Update(tea.KeyPressMsg{Code: 'c', Text: "c"})
		if got := lab.spec.Normalized().Workers; got != before {
			t.Fatalf("after c (cores %d): %d workers, want %d", lab.spec.Cores, got, before)
		}
	}
}

// b runs the spec and then its CPython counterpart on one axis; a model without a
// counterpart runs nothing.
func TestLabBesideCPython(t *testing.T) {
	for _, tc := range []struct {
		model, beside experiment.Model
	}{
		{experiment.GIL, experiment.PyThreads},
		{experiment.Processes, experiment.PyProcesses},
		{experiment.PyThreads, experiment.GIL},
		{experiment.Asyncio, experiment.PyAsyncio},
		{experiment.Threads, ""},
	} {
		lab := NewLab(testCommon(&fakeRunner{}), experiment.Spec{Model: tc.model, Workers: 2, Tasks: mustTasks(t, "4*cpu(1ms)")})
		if tc.model.OneWorker() {
			lab.spec.Workers = 0
		}
		lab.SetSize(80, 24)
		cmd := lab.Update(tea.KeyPressMsg{Code: 'b', Text: "b"})
		specs := lab.panel.specs
		if tc.beside == "" {
			if cmd != nil || len(specs) != 1 {
				t.Errorf("%s has no counterpart, yet b set %d runs", tc.model, len(specs))
			}
			continue
		}
		if cmd == nil || len(specs) != 2 || specs[0].Model != tc.model || specs[1].Model != tc.beside || specs[1].Validate() != nil {
			t.Errorf("%s: b set runs %v, want it beside %s", tc.model, specs, tc.beside)
		}
		lab.Stop()
	}
}

// drawnRunner records whether the runs it was given were marked as drawn live.
type drawnRunner struct {
	fakeRunner
	drawn []bool
}

func (d *drawnRunner) Run(ctx context.Context, spec experiment.Spec, rec *timeline.Recorder) error {
	d.drawn = append(d.drawn, experiment.IsDrawnLive(ctx))
	return d.fakeRunner.Run(ctx, spec, rec)
}

// TestPanelRunsAreDrawnLive: the engines hear that the panel draws its runs as they
// go, so the app keeps collecting the garbage its frames leave (pools' pauseGC).
func TestPanelRunsAreDrawnLive(t *testing.T) {
	r := &drawnRunner{}
	p := NewRunPanel(testCommon(r))
	p.SetSize(80, 20)
	p.SetRuns([]experiment.Spec{{Model: experiment.Processes, Workers: 2, Tasks: mustTasks(t, "4*cpu(10ms)")}})
	p.Update(finishedMsg(t, p.Run()))
	if !slices.Equal(r.drawn, []bool{true}) {
		t.Errorf("runs marked drawn live: %v, want [true]", r.drawn)
	}
	if experiment.IsDrawnLive(context.Background()) {
		t.Error("a run nobody draws is not marked drawn")
	}
}
