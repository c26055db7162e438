package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/coreography/coreography/internal/procwatch"
	"github.com/coreography/coreography/internal/termsafe"
	"github.com/coreography/coreography/internal/timeline"
	uitimeline "github.com/coreography/coreography/ui/timeline"
)

// finishTUI ends a watch shown on the screen: q while the command ran ended it (130).
func (r *watchRunner) finishTUI(cmd *cobra.Command, tuiErr error) error {
	r.mu.Lock()
	w, err, ran := r.w, r.err, r.ran
	r.mu.Unlock()
	quit := ran && errors.Is(err, context.Canceled)
	if !ran && tuiErr == nil {
		quit = true // quit before the command even started
	}
	exit := watchExit(cmd.Context(), w, err, r.opt.PID > 0, quit)
	if exit == nil && tuiErr != nil {
		exit = tuiErr
	}
	r.closeLog(cmd, r.failed(cmd, exit, quit))
	return exit
}

// finish reports a watch on plain output, its figures as JSON or its timeline.
func (r *watchRunner) finish(cmd *cobra.Command, err error, rec *timeline.Recorder, asJSON bool) error {
	r.mu.Lock()
	w := r.w
	r.mu.Unlock()
	exit := watchExit(cmd.Context(), w, err, r.opt.PID > 0, false)
	var nf *procwatch.NotFoundError
	var un *procwatch.UnsupportedError
	if errors.As(err, &nf) || errors.As(err, &un) {
		r.log.done(false) // the command never ran: nothing to keep
		return exit
	}
	trace := rec.Snapshot()
	out := cmd.OutOrStdout()
	if asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		kept := r.log.name()
		if r.log.dir != "" && !r.failed(cmd, exit, false) {
			kept = "" // removed: see closeLog
		}
		if jerr := enc.Encode(watchJSON(trace, w, kept)); jerr != nil {
			return jerr
		}
	} else {
		fmt.Fprint(out, uitimeline.RenderRun(safeTrace(trace), terminalWidth()))
	}
	r.closeLog(cmd, r.failed(cmd, exit, false))
	return exit
}

// failed says whether the command failed: it ended with a status other than 0 of its
// own accord. A command the watch ended (q, Ctrl-C, a signal) did not fail.
func (r *watchRunner) failed(cmd *cobra.Command, exit error, quit bool) bool {
	return exit != nil && !quit && cmd.Context().Err() == nil
}

// closeLog closes the command's log, removing a private one unless the command
// failed, and saying where it is kept when it is.
func (r *watchRunner) closeLog(cmd *cobra.Command, failed bool) {
	r.log.done(failed)
	if name := r.log.name(); name != "" && (failed || r.log.dir == "") {
		fmt.Fprintf(cmd.ErrOrStderr(), "the command's output: %s\n", termsafe.Strip(name))
	}
}

// safeTrace is the trace with every name a watched program chose (thread names,
// command lines) stripped of control characters, for a terminal.
func safeTrace(tr *timeline.Trace) *timeline.Trace {
	c := *tr
	c.Lanes = slices.Clone(tr.Lanes)
	for i := range c.Lanes {
		c.Lanes[i].Name = termsafe.Strip(c.Lanes[i].Name)
	}
	c.Name, c.Note = termsafe.Strip(c.Name), termsafe.Strip(c.Note)
	return &c
}

// watchFigures are watch --json's figures: what applies to a watched program, and
// none of the pool's (workers, speed-up, tasks, the shared counter).
type watchFigures struct {
	Name            string        `json:"name"`
	Source          string        `json:"source"`
	Wall            float64       `json:"wall_s"`
	CPU             float64       `json:"cpu_s"`
	Parallelism     float64       `json:"parallelism"`
	PerCore         []coreFigure  `json:"per_core"`
	Unattributed    float64       `json:"unattributed_cpu_s"`
	KernelCPU       *float64      `json:"kernel_cpu_s"` // wait4's count for the tree; null when attached
	GILSwitches     *int64        `json:"gil_switches"` // null: no CPython process, so no GIL
	GILSwitchesPerS *float64      `json:"gil_switches_per_s"`
	GILWait         *float64      `json:"gil_wait_s"`
	OthersCPU       *float64      `json:"others_cpu_s"`
	Disturbed       bool          `json:"disturbed"`
	SamplerCPU      float64       `json:"sampler_cpu_s"`
	BeforeExec      float64       `json:"before_exec_s"` // a wrapper's start-up, not counted
	LostRecords     int64         `json:"lost_records"`
	ExitCode        int           `json:"exit_code"`
	ProcessesSeen   int           `json:"processes_seen"`
	ThreadsSeen     int           `json:"threads_seen"`
	Processes       []procFigures `json:"processes"`
	Log             string        `json:"log,omitempty"` // omitted when removed
}

type coreFigure struct {
	CPU  int     `json:"cpu"`
	Busy float64 `json:"busy_s"`
	// Placed is the part of busy_s that processes unseen by the sampler used, placed on
	// this core by the kernel's per-core counters; no lane draws it.
	Placed float64 `json:"placed_s,omitempty"`
}

type procFigures struct {
	PID     int32           `json:"pid"`
	PPID    int32           `json:"ppid"`
	Command string          `json:"command"`
	Python  bool            `json:"python"`
	CPU     float64         `json:"cpu_s"`
	Threads []threadFigures `json:"threads"`
}

type threadFigures struct {
	TID     int32              `json:"tid"`
	Name    string             `json:"name"`
	CPU     float64            `json:"cpu_s"`
	PerCore []coreFigure       `json:"per_core"`
	States  map[string]float64 `json:"states_s"`
}

// watchJSON turns a watch into its figures.
func watchJSON(tr *timeline.Trace, w procwatch.Watched, log string) watchFigures {
	st := timeline.Compute(tr)
	f := watchFigures{Name: tr.Name, Source: w.Source, Wall: st.Wall.Seconds(), CPU: st.CPU.Seconds(),
		Parallelism: st.Parallelism, Unattributed: st.Unattributed.Seconds(), Disturbed: st.Disturbed,
		SamplerCPU: st.SamplerCPU.Seconds(), BeforeExec: w.BeforeExec.Seconds(), LostRecords: w.Lost,
		ExitCode: w.ExitCode, ProcessesSeen: w.Processes, ThreadsSeen: w.Threads, PerCore: []coreFigure{}}
	for _, c := range st.PerCore {
		f.PerCore = append(f.PerCore, coreFigure{c.CPU, c.Busy.Seconds(), c.Placed.Seconds()})
	}
	if w.TreeCPU >= 0 {
		f.KernelCPU = ptr(w.TreeCPU.Seconds())
	}
	if w.AnyPython() {
		f.GILSwitches, f.GILSwitchesPerS, f.GILWait = ptr(st.GILSwitches), ptr(st.GILSwitchesPerS), ptr(st.GILWait.Seconds())
	}
	if st.Others != nil {
		f.OthersCPU = ptr(st.Others.CPU.Seconds())
	}
	f.Log = log
	f.Processes = processFigures(tr, w)
	return f
}

// processFigures groups the threads' figures under their processes, parents first.
func processFigures(tr *timeline.Trace, w procwatch.Watched) []procFigures {
	byPID := map[int32]*procFigures{}
	out := make([]procFigures, 0, len(w.Procs))
	for _, p := range w.Procs {
		out = append(out, procFigures{PID: p.PID, PPID: p.PPID, Command: p.Command, Python: p.Python, Threads: []threadFigures{}})
	}
	for i := range out {
		byPID[out[i].PID] = &out[i]
	}
	for _, th := range procwatch.PerThread(tr) {
		p := byPID[th.PID]
		if p == nil {
			continue
		}
		t := threadFigures{TID: th.TID, Name: th.Name, CPU: th.CPU.Seconds(), PerCore: []coreFigure{}, States: map[string]float64{}}
		for c, busy := range th.PerCore {
			t.PerCore = append(t.PerCore, coreFigure{CPU: c, Busy: busy.Seconds()})
		}
		slices.SortFunc(t.PerCore, func(a, b coreFigure) int { return a.CPU - b.CPU })
		for s, d := range th.States {
			t.States[s.String()] = d.Seconds()
		}
		p.CPU += t.CPU
		p.Threads = append(p.Threads, t)
	}
	return out
}

func ptr[T any](v T) *T { return &v }
