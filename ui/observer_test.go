package ui

import (
	"testing"

	"github.com/coreography/coreography/timeline"
)

// A lane is made before its first event (a thread the sampler has just found), so a
// live frame can see it empty; reading worker threads from it must not panic.
func TestWorkerThreadsOfAnEmptyLane(t *testing.T) {
	rec := timeline.NewRecorder(timeline.Meta{Model: "py-threads", Workers: 1})
	rec.Lane("T1")
	if tids := workerThreads([]*timeline.Trace{rec.Snapshot()}); len(tids) != 0 {
		t.Fatalf("an empty lane gave worker threads %v", tids)
	}
}
