package procwatch

import (
	"strings"
	"time"

	"github.com/coreography/coreography/internal/timeline"
)

// ThreadFigures are one watched thread's figures, from its lane.
type ThreadFigures struct {
	PID, TID int32
	Name     string // the thread's name, as its lane shows it first
	CPU      time.Duration
	PerCore  map[int]time.Duration
	States   map[timeline.State]time.Duration // wall time in each state, off excluded
}

// PerThread measures every lane of a watched trace: its CPU, where it ran, and how
// long it spent in each state.
func PerThread(tr *timeline.Trace) []ThreadFigures {
	out := make([]ThreadFigures, 0, len(tr.Lanes))
	for _, l := range tr.Lanes {
		if len(l.Events) == 0 {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimLeft(l.Name, " "+TreeMark), " · ")
		f := ThreadFigures{PID: l.Events[0].PID, TID: l.Events[0].TID, Name: name,
			PerCore: map[int]time.Duration{}, States: map[timeline.State]time.Duration{}}
		for i := range l.Events {
			sp := l.Span(i, tr.End)
			if sp.State != timeline.Off {
				f.States[sp.State] += time.Duration(sp.Duration())
			}
			cpu := time.Duration(max(sp.CPUTime, 0))
			if sp.CPUTime < 0 && sp.State.OnCPU() {
				cpu = time.Duration(sp.Duration())
			}
			f.CPU += cpu
			if sp.CPU >= 0 && cpu > 0 {
				f.PerCore[int(sp.CPU)] += cpu
			}
		}
		out = append(out, f)
	}
	return out
}

// AnyPython reports whether any process of a watch ran CPython: GIL figures are for
// those only.
func (w Watched) AnyPython() bool {
	for _, p := range w.Procs {
		if p.Python {
			return true
		}
	}
	return false
}
