package pools

import (
	"testing"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

func TestSerialRunsTasksInOrder(t *testing.T) {
	tr := record(t, experiment.Spec{Model: experiment.Serial, Tasks: parse(t, "3*cpu(2ms), 2*[io(2ms) cpu(1ms)], cpu(1ms)")})
	checkTrace(t, tr, 6)
	last := int32(-1)
	for _, e := range tr.Lanes[0].Events {
		if e.Task == timeline.NoTask {
			continue
		}
		if e.Task < last {
			t.Fatalf("task %d ran after task %d", e.Task, last)
		}
		last = e.Task
	}
	if last != 5 {
		t.Errorf("last task seen is %d, want 5", last)
	}
}
