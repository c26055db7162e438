package timeline

import (
	"testing"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// A speed-up is against a measured one-worker run of the same kind where the step
// has one, undisturbed and long enough; elsewhere it stays planned, and says which.
func TestAgainstBaselines(t *testing.T) {
	tasks, _ := experiment.ParseTasks("8*cpu(100ms)")
	short, _ := experiment.ParseTasks("8*cpu(1ms)")
	one := experiment.Spec{Model: experiment.Processes, Workers: 1, Tasks: tasks}
	two := experiment.Spec{Model: experiment.Processes, Workers: 2, Tasks: tasks}
	py := experiment.Spec{Model: experiment.PyProcesses, Workers: 2, Tasks: tasks}
	loop := experiment.Spec{Model: experiment.Asyncio, Tasks: tasks}
	stat := func(wall time.Duration, disturbed bool) timeline.Stats {
		return timeline.Stats{Wall: wall, Speedup: 0.8 / wall.Seconds(), SpeedupVs: timeline.SpeedupPlanned, Disturbed: disturbed}
	}
	for _, tc := range []struct {
		name  string
		specs []experiment.Spec
		stats []timeline.Stats
		want  float64
		vs    string
	}{
		{"processes ×2 after ×1", []experiment.Spec{one, two}, []timeline.Stats{stat(900*time.Millisecond, false), stat(500*time.Millisecond, false)}, 1.8, timeline.SpeedupMeasured},
		{"a disturbed baseline", []experiment.Spec{one, two}, []timeline.Stats{stat(900*time.Millisecond, true), stat(500*time.Millisecond, false)}, 1.6, timeline.SpeedupPlanned},
		{"CPython against Go", []experiment.Spec{one, py}, []timeline.Stats{stat(900*time.Millisecond, false), stat(500*time.Millisecond, false)}, 1.6, timeline.SpeedupPlanned},
		{"an event loop is no serial run", []experiment.Spec{loop, two}, []timeline.Stats{stat(900*time.Millisecond, false), stat(500*time.Millisecond, false)}, 1.6, timeline.SpeedupPlanned},
		{"a baseline too short", []experiment.Spec{{Model: experiment.Serial, Tasks: short}, {Model: experiment.Threads, Workers: 2, Tasks: short}},
			[]timeline.Stats{stat(9*time.Millisecond, false), stat(5*time.Millisecond, false)}, 160, timeline.SpeedupPlanned},
	} {
		AgainstBaselines(tc.specs, tc.stats)
		if got := tc.stats[1]; got.SpeedupVs != tc.vs || got.Speedup < tc.want-0.01 || got.Speedup > tc.want+0.01 {
			t.Errorf("%s: speed-up %.2f vs %s, want %.2f vs %s", tc.name, got.Speedup, got.SpeedupVs, tc.want, tc.vs)
		}
	}
}
