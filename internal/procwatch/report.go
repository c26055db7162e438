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

// placeUnseen places CPU that no lane holds on the cores whose busy time, as the
// kernel counted it (busy), the lanes do not explain (drawn), in proportion to what
// each core leaves unexplained. The kernel does not say which core a process that
// lived between two samples ran on; its per-core counters say which cores were busy
// with something unseen. On a quiet machine that is the unseen processes; time other
// programs took is spread the same way, so the placement blurs as they get busier,
// while the sum stays the kernel's exact count. nil: nothing to place it by.
func placeUnseen(unseen time.Duration, busy, drawn map[int]time.Duration) map[int]int64 {
	rest := map[int]time.Duration{}
	var sum time.Duration
	for c, b := range busy {
		if r := b - drawn[c]; r > 0 {
			rest[c], sum = r, sum+r
		}
	}
	if unseen <= 0 || sum <= 0 {
		return nil
	}
	out := make(map[int]int64, len(rest))
	for c, r := range rest {
		out[c] = int64(float64(unseen) * float64(r) / float64(sum))
	}
	return out
}
