package pools

import (
	"context"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sync/errgroup"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/procwatch"
	"github.com/coreography/coreography/internal/timeline"
)

// spansIn lists every span of the given state on any lane, by start.
func spansIn(tr *timeline.Trace, st timeline.State) []timeline.Span {
	var out []timeline.Span
	for li, l := range tr.Lanes {
		l.Spans(tr.Begin, tr.End, func(s timeline.Span) bool {
			if s.State == st && s.End > s.Start {
				s.Lane = li
				out = append(out, s)
			}
			return true
		})
	}
	slices.SortFunc(out, func(a, b timeline.Span) int { return int(a.Start - b.Start) })
	return out
}

// overlapping reports whether two spans of different lanes share an instant.
func overlapping(spans []timeline.Span) (a, b timeline.Span, found bool) {
	for i, s := range spans {
		for _, u := range spans[i+1:] {
			if u.Start >= s.End {
				break
			}
			if u.Lane != s.Lane {
				return s, u, true
			}
		}
	}
	return timeline.Span{}, timeline.Span{}, false
}

func TestThreadsRunAtTheSameTime(t *testing.T) {
	tr := record(t, experiment.Spec{Model: experiment.Threads, Workers: 2, Tasks: parse(t, "4*cpu(20ms)")})
	checkTrace(t, tr, 4)
	if _, _, found := overlapping(spansIn(tr, timeline.Running)); !found {
		t.Errorf("two threads without a lock never ran at the same instant")
	}
}

// TestThreadsOnOneCoreArePreempted pins two threads to one core: the OS must take turns,
// and the probe must show the turns each thread waited as preempted.
func TestThreadsOnOneCoreArePreempted(t *testing.T) {
	if !PerCoreAttribution {
		t.Skip("no thread CPU clock on this OS")
	}
	tr := record(t, experiment.Spec{Model: experiment.Threads, Workers: 2, Cores: 1, Tasks: parse(t, "2*cpu(50ms)")})
	checkTrace(t, tr, 2)
	if len(spansIn(tr, timeline.Preempted)) == 0 {
		t.Errorf("two threads sharing one core were never preempted")
	}
	// Loose: one core cannot give two threads much more than one core's worth.
	if s := timeline.Compute(tr); s.Parallelism > 1.3 {
		t.Errorf("parallelism %.2f on one core", s.Parallelism)
	}
}

// TestPinFailureEndsTheRun asks for more cores than the process may use: every thread
// fails to pin before its first event, and the run ends with that error.
func TestPinFailureEndsTheRun(t *testing.T) {
	if !PerCoreAttribution {
		t.Skip("no affinity on this OS")
	}
	group, ctx := errgroup.WithContext(context.Background())
	spec := experiment.Spec{Model: experiment.Threads, Workers: 2, Cores: len(procwatch.UsableCPUs()) + 1, Tasks: parse(t, "4*cpu(1ms)")}
	rec := timeline.NewRecorder(spec.Meta())
	r := &run{ctx: ctx, done: ctx.Done(), group: group, spec: spec, tasks: spec.Tasks.List(), rec: rec}
	if err := runThreads(r); err == nil || !strings.Contains(err.Error(), "cores") {
		t.Fatalf("run ended with %v, want the pinning error", err)
	}
	if err := context.Cause(ctx); err == nil || !strings.Contains(err.Error(), "cores") {
		t.Fatalf("the run's context ended with %v, want the pinning error", err)
	}
	tr := rec.Snapshot()
	for _, l := range tr.Lanes {
		if len(l.Events) != 0 {
			t.Errorf("lane %s has %d events from a thread that could not be pinned", l.Name, len(l.Events))
		}
	}
	if tr.TasksDone != 0 {
		t.Errorf("%d tasks ran unpinned", tr.TasksDone)
	}
}

func TestThreadNames(t *testing.T) {
	if got := threadNames(3); !slices.Equal(got, []string{"T1", "T2", "T3"}) {
		t.Errorf("threadNames(3) = %v", got)
	}
}
