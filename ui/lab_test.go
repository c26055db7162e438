package ui

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// screen is what the lab and replay offer a root model (app.go's Screen).
type screen interface {
	common.Component
	Init() tea.Cmd
	Update(tea.Msg) tea.Cmd
}

// harness is a minimal root model for one screen: it sizes it, quits on ctrl+c and
// turns its string into a View.
type harness struct {
	c *common.Common
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

func TestLabGolden(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 36}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			c := uitest.Common(&uitest.Runner{})
			lab := NewLab(c, experiment.Spec{Model: experiment.GIL, Workers: 2, Tasks: uitest.Tasks(t, "8*cpu(100ms)")})
			tm := teatest.NewTestModel(t, &harness{c: c, s: lab}, teatest.WithInitialTermSize(size.w, size.h),
				teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
			teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("nothing recorded")) })
			before := uitest.Plain(lab.View())
			tm.Type("r")
			teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("recent runs")) },
				teatest.WithDuration(5*time.Second))
			tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
			tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
			after := lab.View()
			uitest.CheckWidth(t, after, size.w)
			if got := strings.Count(after, "\n") + 1; got > size.h {
				t.Errorf("the lab is %d lines high, more than %d", got, size.h)
			}
			golden.RequireEqual(t, "before run:\n"+before+"\n\nafter run:\n"+uitest.Plain(after)+"\n")
		})
	}
}

// TestLabEditsAndValidates edits the spec with keys and shows what is wrong inline.
func TestLabEditsAndValidates(t *testing.T) {
	c := uitest.Common(&uitest.Runner{})
	lab := NewLab(c, experiment.Spec{Model: experiment.Threads, Workers: 2, Tasks: uitest.Tasks(t, "8*cpu(100ms)")})
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
	if !strings.Contains(uitest.Plain(lab.View()), "asyncio runs on exactly 1 worker") {
		t.Errorf("an invalid spec shows its error inline; got:\n%s", uitest.Plain(lab.View()))
	}
	if cmd := lab.Update(tea.KeyPressMsg{Code: 'r', Text: "r"}); cmd != nil || lab.panel.Busy() {
		t.Errorf("r on an invalid spec must not run")
	}
}

// w and W cannot make a one-worker model invalid: serial and asyncio keep their one
// worker, and the spec stays runnable.
func TestLabWorkersKeysOnOneWorkerModels(t *testing.T) {
	for _, m := range []experiment.Model{experiment.Serial, experiment.Asyncio} {
		lab := NewLab(uitest.Common(&uitest.Runner{}), experiment.Spec{Model: m, Tasks: uitest.Tasks(t, "8*cpu(100ms)")})
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
	lab := NewLab(uitest.Common(&uitest.Runner{}), experiment.Spec{Model: experiment.Threads, Tasks: uitest.Tasks(t, labMixes[1].tasks)})
	lab.SetSize(80, 24)
	if !strings.Contains(uitest.Plain(lab.View()), "t "+labMixes[1].name+",") {
		t.Errorf("opened on the %s mix, the lab does not say so:\n%s", labMixes[1].name, uitest.Plain(lab.View()))
	}
}

// TestLabTogglesSim: S moves the spec to the model machine, where c goes past this
// machine's cores, and back, where cores beyond it are dropped.
func TestLabTogglesSim(t *testing.T) {
	lab := NewLab(uitest.Common(&uitest.Runner{}), experiment.Spec{Model: experiment.Threads, Workers: 2, Tasks: uitest.Tasks(t, "8*cpu(100ms)")})
	lab.SetSize(100, 24)
	press := func(keys string) {
		for _, r := range keys {
			lab.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		}
	}
	press("S")
	if !lab.spec.Sim || !strings.Contains(uitest.Plain(lab.View()), "SIMULATED") {
		t.Fatalf("S: sim %v; view:\n%s", lab.spec.Sim, uitest.Plain(lab.View()))
	}
	press("ccccccc") // 0 → 1 → 2 → 4 → … → 64
	if lab.spec.Cores != 64 || lab.spec.Validate() != nil {
		t.Errorf("c on the model machine: %d cores (%v), want 64", lab.spec.Cores, lab.spec.Validate())
	}
	press("S")
	if lab.spec.Sim || lab.spec.Cores != 0 || !strings.Contains(uitest.Plain(lab.View()), "machine real") {
		t.Errorf("S back: sim %v, %d cores", lab.spec.Sim, lab.spec.Cores)
	}
}

// TestLabCurve: a shows the recent runs' speed-up curve once they span three worker
// counts (g is the panel's jump to the start).
func TestLabCurve(t *testing.T) {
	lab := NewLab(uitest.Common(&uitest.Runner{}), experiment.Spec{Model: experiment.Threads, Workers: 1, Tasks: uitest.Tasks(t, "8*cpu(100ms)")})
	lab.SetSize(100, 30)
	lab.Update(tea.KeyPressMsg{Code: 'a', Text: "a"})
	if !strings.Contains(uitest.Plain(lab.View()), "needs recent runs on 3 or more worker counts") {
		t.Fatalf("a with no runs:\n%s", uitest.Plain(lab.View()))
	}
	for _, n := range []int{1, 2, 4} {
		st := timeline.Stats{Wall: time.Duration(float64(time.Second) * (0.2 + 0.8/float64(n))), Speedup: 1 / (0.2 + 0.8/float64(n))}
		st.Workers, st.Source = n, timeline.SourceReal
		lab.recent = append(lab.recent, labRun{stats: st})
	}
	if v := uitest.Plain(lab.View()); !strings.Contains(v, "serial fraction 0.200") || !strings.Contains(v, "● measured") {
		t.Errorf("a with three worker counts:\n%s", v)
	}
}

// TestLabCoresKeepsWorkers: c changes the cores, never the worker count shown.
func TestLabCoresKeepsWorkers(t *testing.T) {
	c := uitest.Common(&uitest.Runner{})
	lab := NewLab(c, experiment.Spec{Model: experiment.Threads, Tasks: uitest.Tasks(t, "8*cpu(100ms)")})
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
		lab := NewLab(uitest.Common(&uitest.Runner{}), experiment.Spec{Model: tc.model, Workers: 2, Tasks: uitest.Tasks(t, "4*cpu(1ms)")})
		if tc.model.OneWorker() {
			lab.spec.Workers = 0
		}
		lab.SetSize(80, 24)
		cmd := lab.Update(tea.KeyPressMsg{Code: 'b', Text: "b"})
		specs := lab.panel.Specs()
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
