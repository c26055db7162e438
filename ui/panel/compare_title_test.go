package panel

import (
	"testing"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// TestCompareTitles: a comparison's header says how its runs differ, so runs that
// share a model and differ in their tasks (a lock, a payload) or cores do not read
// "threads ×2 vs threads ×2".
func TestCompareTitles(t *testing.T) {
	spec := func(m experiment.Model, workers, cores int, tasks string) experiment.Spec {
		return experiment.Spec{Model: m, Workers: workers, Cores: cores, Tasks: uitest.Tasks(t, tasks)}
	}
	gil1ms := spec(experiment.GIL, 2, 0, "4*cpu(20ms)")
	gil1ms.SwitchInterval = time.Millisecond
	for _, c := range []struct {
		specs []experiment.Spec
		want  string
	}{
		{[]experiment.Spec{spec(experiment.Threads, 2, 0, "2*add(100)"), spec(experiment.Threads, 2, 0, "2*add(100, lock)")},
			"compare: threads ×2 · 2*add(100) vs 2*add(100, lock)"},
		{[]experiment.Spec{spec(experiment.Serial, 1, 0, "2*cpu(300ms)"), spec(experiment.Threads, 2, 1, "2*cpu(300ms)")},
			"compare: serial ×1 vs threads ×2 on 1 core · 2*cpu(300ms)"},
		{[]experiment.Spec{spec(experiment.GIL, 2, 0, "4*cpu(20ms)"), gil1ms},
			"compare: gil ×2 vs gil ×2 (switch 1ms) · 4*cpu(20ms)"},
		{[]experiment.Spec{spec(experiment.GIL, 2, 0, "io(1ms)"), spec(experiment.Threads, 2, 2, "cpu(1ms)")},
			"compare: gil ×2 · io(1ms) vs threads ×2 on 2 cores · cpu(1ms)"},
	} {
		if got := CompareTitles(c.specs); got != c.want {
			t.Errorf("got  %q\nwant %q", got, c.want)
		}
	}
}
