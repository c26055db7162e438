package pools

import (
	"fmt"
	"sort"
	"testing"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// TestPhasesWaitForThePhaseBefore runs "then" on every engine: no task of the second
// phase may start before the last task of the first has ended, and all of them run.
func TestPhasesWaitForThePhaseBefore(t *testing.T) {
	for _, spec := range []experiment.Spec{
		{Model: experiment.Serial},
		{Model: experiment.Threads, Workers: 3},
		{Model: experiment.GIL, Workers: 3},
		{Model: experiment.Processes, Workers: 2},
		{Model: experiment.Processes, Workers: 2, ChunkSize: 4},
		{Model: experiment.Processes, Workers: 2, Fresh: true},
		{Model: experiment.Asyncio},
	} {
		t.Run(fmt.Sprintf("%s/chunk%d/fresh%v", spec.Model, spec.ChunkSize, spec.Fresh), func(t *testing.T) {
			spec.Tasks = parse(t, "2*cpu(15ms), io(5ms) then 6*[io(2ms) cpu(2ms)] then cpu(3ms)")
			tr := record(t, spec)
			if spec.Fresh { // a lane holds several processes, each CPU clock from 0
				if tr.TasksDone != 10 {
					t.Errorf("TasksDone = %d, want 10", tr.TasksDone)
				}
			} else {
				checkTrace(t, tr, 10)
			}
			starts := spec.Tasks.PhaseStarts()
			first, last := phaseTimes(tr, spec.Tasks, starts)
			for k := 1; k < len(starts); k++ {
				if first[k] < last[k-1] {
					t.Errorf("phase %d started %.2f ms before phase %d ended", k, float64(last[k-1]-first[k])/1e6, k-1)
				}
			}
		})
	}
}

// phaseTimes finds, per phase, when its first task began working and a lower bound
// of when its last task ended: its start plus 90 % of its planned work (cpu(d) and
// io(d) never take less than d, give or take calibration). A lane's spans cannot say
// when a task ended: a thread stays in its last state until it records the next.
func phaseTimes(tr *timeline.Trace, tasks experiment.Tasks, starts []int) (first, last []int64) {
	first, last = make([]int64, len(starts)), make([]int64, len(starts))
	for k := range first {
		first[k] = tr.End
	}
	list := tasks.List()
	began := map[int32]int64{}
	for _, l := range tr.Lanes {
		for _, e := range l.Events {
			if e.Task >= 0 && (e.State == timeline.Running || e.State == timeline.IO) {
				if t, seen := began[e.Task]; !seen || e.T < t {
					began[e.Task] = e.T
				}
			}
		}
	}
	for task, t := range began {
		k := sort.SearchInts(starts, int(task)+1) - 1
		first[k] = min(first[k], t)
		last[k] = max(last[k], t+int64(list[task].Work())*9/10)
	}
	return first, last
}
