package ui

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// demoRunner records a run the way a pool would do it, step by step: tasks taken in
// submission order by the first free worker, each phase after the one before, fail
// steps failing their task, cancel-after cancelling what is still queued, and a
// shared counter that two racing workers lose a tenth of, where it grows. The same
// every time, so the demonstrations' goldens are stable.
type demoRunner struct{}

func (demoRunner) Run(_ context.Context, spec experiment.Spec, rec *timeline.Recorder) error {
	spec = spec.Normalized()
	begin := uitest.Begin
	rec.Begin(begin)
	free := make([]int64, spec.Workers) // ns after begin when each worker is free
	lanes := make([]*timeline.Lane, spec.Workers)
	for w := range lanes {
		lanes[w] = rec.Lane(fmt.Sprintf("T%d", w+1))
		lanes[w].Append(timeline.Event{T: begin, Task: timeline.NoTask, CPU: int16(w % 2), State: timeline.Idle})
	}
	tasks, starts := spec.Tasks.List(), append(spec.Tasks.PhaseStarts(), spec.Tasks.Count())
	phaseEnd := int64(0)
	var made, value int64
	for k := 0; k+1 < len(starts); k++ {
		for w := range free {
			free[w] = max(free[w], phaseEnd)
		}
		for i := starts[k]; i < starts[k+1]; i++ {
			w := 0
			for o := range free {
				if free[o] < free[w] {
					w = o
				}
			}
			at := free[w]
			if spec.CancelAfter > 0 && at >= int64(spec.CancelAfter) {
				rec.Finished(timeline.Result{Task: int32(i), Outcome: timeline.Cancelled, Submit: begin, End: begin + int64(spec.CancelAfter)})
				rec.Add(timeline.TasksDone, 1)
				continue
			}
			outcome := timeline.Done
			for _, s := range tasks[i].Steps {
				st := timeline.Running
				if s.Kind == experiment.IO || s.Kind == experiment.HTTP {
					st = timeline.IO
				}
				lanes[w].Append(timeline.Event{T: begin + free[w], CPUTime: free[w], Task: int32(i), CPU: int16(w % 2), State: st})
				if s.Kind == experiment.Fail {
					outcome = timeline.Failed
					break
				}
				d := int64(s.Work())
				if s.Kind == experiment.Add {
					for part := int64(1); part <= 10; part++ {
						n := s.N / 10
						made += n
						value += n
						if spec.Workers > 1 && s.Sync != experiment.Lock && part%3 == 0 {
							value -= n // a hand-off with a stale value: the other's turn is lost
						}
						rec.SampleCounter(timeline.CounterSample{T: begin + free[w] + d*part/10, Value: value, Made: made})
					}
				}
				free[w] += d
			}
			lanes[w].Append(timeline.Event{T: begin + free[w], CPUTime: free[w], Task: timeline.NoTask, CPU: int16(w % 2), State: timeline.Idle})
			rec.Finished(timeline.Result{Task: int32(i), Outcome: outcome, Submit: begin, Start: begin + at, End: begin + free[w]})
			rec.AddIncrements(tasks[i].Increments())
			rec.Add(timeline.TasksDone, 1)
		}
		for _, f := range free {
			phaseEnd = max(phaseEnd, f)
		}
	}
	for w := range lanes {
		lanes[w].Append(timeline.Event{T: begin + phaseEnd, CPUTime: free[w], Task: timeline.NoTask, CPU: int16(w % 2), State: timeline.Off})
	}
	rec.SetCounter(value)
	if waits := spec.Tasks.WorkOf(experiment.CPU) == 0; waits {
		per := map[experiment.Model]int64{experiment.PyThreads: 24 << 10, experiment.GIL: 110 << 10, experiment.PyProcesses: 3600 << 10,
			experiment.Processes: 2700 << 10, experiment.PyAsyncio: 2500, experiment.Asyncio: 700}[spec.Model]
		inFlight := min(spec.Tasks.Count(), spec.Workers)
		if spec.Model == experiment.Asyncio || spec.Model == experiment.PyAsyncio {
			inFlight = spec.Tasks.Count()
		}
		rec.SetMemory(timeline.Memory{Base: 50 << 20, Peak: 50<<20 + per*int64(inFlight), InFlight: inFlight})
	}
	rec.Finish(begin + phaseEnd)
	return nil
}

// demoGolden plays step of a built-in lesson at each size, predicting choice, and
// compares the screen after the runs with its golden; must is what the screen shows.
func demoGolden(t *testing.T, lesson string, step int, choice string, must string) {
	for _, size := range [][2]int{{100, 30}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			l := uitest.BuiltinLesson(t, lesson)
			c := uitest.Common(demoRunner{})
			p := newLessonPlayer(c, l, step, nil)
			tm := teatest.NewTestModel(t, &harness{c: c, s: p}, teatest.WithInitialTermSize(size[0], size[1]),
				teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
			tm.Type(choice + "r")
			teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("measured:")) },
				teatest.WithDuration(10*time.Second))
			if l.Steps[step].Experiment.Replay != 0 {
				tm.Type("G") // a slow replay to its end: every lane drawn in full
				teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("done in")) },
					teatest.WithDuration(10*time.Second))
			}
			tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
			tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
			view := p.View()
			uitest.CheckWidth(t, view, size[0])
			if !strings.Contains(uitest.Plain(view), must) {
				t.Errorf("the screen lacks %q:\n%s", must, uitest.Plain(view))
			}
			golden.RequireEqual(t, uitest.Plain(view)+"\n")
		})
	}
}

// amdahl draws its runs' speed-up curve in the panel's place once they are done.
func TestAmdahlCurveGolden(t *testing.T) { demoGolden(t, "amdahl", 1, "2", "speed-up by workers") }

// futures' cancel step shows the queue of futures and where the six were cancelled.
func TestFuturesQueueGolden(t *testing.T) { demoGolden(t, "futures", 3, "2", "\nqueue ") }

// shared-state's race shows the counter as it grows, and where updates were lost.
func TestCounterLaneGolden(t *testing.T) { demoGolden(t, "shared-state", 1, "2", "\ncounter ") }

// coroutines' memory step draws what a waiting client cost, run by run, as bars.
func TestMemoryBarsGolden(t *testing.T) {
	demoGolden(t, "coroutines", 4, "3", "memory per waiting task")
}

// io-bound's downloads over 1, 10 and 50 threads are one job over worker counts, but
// they mostly wait: no speed-up curve with a core limit and an Amdahl fit takes the
// lanes' place (met: "this machine's limit: 2 cores, 2.00x" beside a measured 17.9x).
// A computation over the same worker counts does get its curve.
func TestWaitingRunsDrawNoCurve(t *testing.T) {
	p := newLessonPlayer(uitest.Common(demoRunner{}), uitest.BuiltinLesson(t, "io-bound"), 1, nil)
	run := func(workers int, cpu time.Duration) timeline.Stats {
		var s timeline.Stats
		s.Workers, s.Tasks, s.IdealSerial, s.CPU = workers, 50, 2550*time.Millisecond, cpu
		return s
	}
	for _, tc := range []struct {
		cpu   time.Duration
		curve bool
	}{{60 * time.Millisecond, false}, {2500 * time.Millisecond, true}} {
		p.memory[p.state.Step].stats = []timeline.Stats{run(1, tc.cpu), run(10, tc.cpu), run(50, tc.cpu)}
		if got := p.speedupRuns(); got != tc.curve {
			t.Errorf("runs using %v of CPU for 2.55 s of work: a speed-up curve %v, want %v", tc.cpu, got, tc.curve)
		}
	}
}
