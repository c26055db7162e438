package pools

import (
	"context"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// Every run carries the figure, for the cores it was pinned to.
func TestRunRecordsOthersOnItsCores(t *testing.T) {
	tasks, _ := experiment.ParseTasks("2*cpu(20ms)")
	spec := experiment.Spec{Model: experiment.Threads, Workers: 2, Cores: 1, Tasks: tasks}
	rec := timeline.NewRecorder(spec.Meta())
	if err := New().Run(context.Background(), spec, rec); err != nil {
		t.Fatal(err)
	}
	tr := rec.Snapshot()
	if tr.Others == nil || tr.Others.Cores != 1 || tr.Others.Span < time.Duration(tr.End-tr.Begin) {
		t.Fatalf("others %+v for a run of %v pinned to 1 core", tr.Others, time.Duration(tr.End-tr.Begin))
	}
}
