package handout

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/internal/uitest"
	uitimeline "github.com/coreography/coreography/ui/timeline"
)

// scriptedRunner records a run whose wall time is the spec's ideal serial time divided
// by the speedup scripted for its model, so a test decides what a lesson "measures".
type scriptedRunner struct {
	speedup map[experiment.Model]float64
	err     error
	block   bool // wait for ctx instead of finishing
	runs    int
}

func (r *scriptedRunner) Run(ctx context.Context, spec experiment.Spec, rec *timeline.Recorder) error {
	r.runs++
	if r.block {
		<-ctx.Done()
		return ctx.Err()
	}
	if r.err != nil {
		return r.err
	}
	spec = spec.Normalized()
	begin := int64(1_000_000_000)
	rec.Begin(begin)
	wall := int64(float64(spec.Tasks.Work()) / r.speedup[spec.Model])
	for w := range spec.Workers {
		lane := rec.Lane("T" + string(rune('1'+w)))
		lane.Append(timeline.Event{T: begin, CPUTime: 0, Task: int32(w), CPU: int16(w % 2), State: timeline.Running})
		lane.Append(timeline.Event{T: begin + wall, CPUTime: wall, Task: timeline.NoTask, CPU: int16(w % 2), State: timeline.Off})
	}
	rec.Add(timeline.TasksDone, int64(spec.Tasks.Count()))
	rec.Finish(begin + wall)
	return nil
}

const playLesson = `---
id: play-test
title: Play test
minutes: 3
summary: Threads with and without a GIL.
---
# Before

Intro text for the run.

` + "```experiment\nmodel: gil\nworkers: 2\ntasks: 4*cpu(100ms)\ncompare:\n  - model: threads\nnotice: Notice quotes {{run1.speedup}}.\n```" + `

After: it took {{wall}}, {{vs_run1}} than run 1.

` + "```predict\nquestion: Faster without the GIL?\nchoices:\n  - text: clearly\n    when: faster_than_run1 >= 1.4\n  - text: not really\n    when: faster_than_run1 < 1.4\nanswer: clearly\nexplanation: No lock, no turns.\n```\n\n```hint\nWatch the cores.\n```" + `
---
Later step still quotes {{speedup}}.
`

func TestPlayText(t *testing.T) {
	l := uitest.Lesson(t, playLesson)
	run := &scriptedRunner{speedup: map[experiment.Model]float64{experiment.GIL: 1, experiment.Threads: 2}}
	var out bytes.Buffer
	if err := Play(context.Background(), &out, l, run, PlayOptions{Width: 80}); err != nil {
		t.Fatalf("Play: %v\n%s", err, out.String())
	}
	text := out.String()
	for _, want := range []string{
		"Play test", "Step 1 of 2", "Intro text for the run.",
		"Predict: Faster without the GIL?", "a) clearly", "b) not really",
		"Run 1 of 2", "Run 2 of 2",
		"Notice quotes 1.00×.",
		"After: it took 200 ms, 2.00× faster than run 1.",
		`Measured: 2.00× faster than run 1 → "clearly"`, "Answer: clearly  ✓ the run agrees", "No lock, no turns.",
		"Hint: Watch the cores.",
		"Later step still quotes 2.00×.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	// The intro comes before the runs, the discussion of what was measured after.
	if strings.Index(text, "Intro text") > strings.Index(text, "Run 1 of 2") || strings.Index(text, "After: it took") < strings.Index(text, "Run 2 of 2") {
		t.Errorf("text around the experiment is out of order:\n%s", text)
	}
	if run.runs != 2 {
		t.Errorf("runs = %d, want 2", run.runs)
	}
}

func TestPlayDisagreementFails(t *testing.T) {
	l := uitest.Lesson(t, playLesson)
	run := &scriptedRunner{speedup: map[experiment.Model]float64{experiment.GIL: 1, experiment.Threads: 1.1}}
	var out bytes.Buffer
	err := Play(context.Background(), &out, l, run, PlayOptions{Width: 80})
	if err == nil || !strings.Contains(err.Error(), `step 1: "Faster without the GIL?" answers "clearly", but the run measured "not really"`) {
		t.Fatalf("error = %v", err)
	}
	if !strings.Contains(out.String(), "✗ this run disagrees") || !strings.Contains(out.String(), "Later step") {
		t.Errorf("a disagreement is shown and the lesson still plays to the end:\n%s", out.String())
	}
}

// play fails when a run contradicts what the text claims, naming the sentence, and
// passes when the runs bear it out.
func TestPlayContradictedClaimFails(t *testing.T) {
	claim := strings.Replace(playLesson, "\nAfter: it took", "\n```if\nwhen: faster_than_run1 >= 1.4\nthen: Without the lock it is clearly faster.\nclaim: true\n```\n\nAfter: it took", 1)
	claim = strings.Replace(claim, "answer: clearly", "answer: not really", 1)
	l := uitest.Lesson(t, claim)
	var out bytes.Buffer
	err := Play(context.Background(), &out, l, &scriptedRunner{speedup: map[experiment.Model]float64{experiment.GIL: 1, experiment.Threads: 1.1}}, PlayOptions{Width: 80})
	if err == nil || !strings.Contains(err.Error(), "the text says Without the lock it is clearly faster. (when: faster_than_run1 >= 1.4), and the runs contradict it") {
		t.Fatalf("error = %v", err)
	}
	if strings.Contains(out.String(), "clearly faster.") {
		t.Errorf("a contradicted claim is still shown:\n%s", out.String())
	}
	out.Reset()
	if err := Play(context.Background(), &out, l, &scriptedRunner{speedup: map[experiment.Model]float64{experiment.GIL: 1, experiment.Threads: 2}}, PlayOptions{Width: 80}); err == nil || strings.Contains(err.Error(), "the text says") {
		t.Errorf("a claim the runs bear out failed play: %v", err)
	}
}

func TestPlayJSON(t *testing.T) {
	l := uitest.Lesson(t, playLesson)
	run := &scriptedRunner{speedup: map[experiment.Model]float64{experiment.GIL: 1, experiment.Threads: 2}}
	var out bytes.Buffer
	if err := Play(context.Background(), &out, l, run, PlayOptions{JSON: true}); err != nil {
		t.Fatal(err)
	}
	var recs []map[string]any
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		recs = append(recs, rec)
	}
	if len(recs) != 2 {
		t.Fatalf("want one record per run, got %d: %v", len(recs), recs)
	}
	first, last := recs[0], recs[1]
	if first["lesson"] != "play-test" || first["step"] != 1.0 || first["run"] != 1.0 || first["model"] != "gil" {
		t.Errorf("first record = %v", first)
	}
	if _, has := first["predicted_ok"]; has {
		t.Errorf("only the judged run carries predicted_ok: %v", first)
	}
	if last["run"] != 2.0 || last["predicted_ok"] != true || last["measured_choice"] != "clearly" || last["speedup"].(float64) < 1.9 {
		t.Errorf("last record = %v", last)
	}
}

func TestPlayRunFailure(t *testing.T) {
	l := uitest.Lesson(t, playLesson)
	run := &scriptedRunner{err: errors.New("engine exploded")}
	err := Play(context.Background(), &bytes.Buffer{}, l, run, PlayOptions{})
	if err == nil || !strings.Contains(err.Error(), "step 1, run 1") || !strings.Contains(err.Error(), "engine exploded") {
		t.Fatalf("error = %v", err)
	}
}

func TestPlayStopsOnCancel(t *testing.T) {
	l := uitest.Lesson(t, playLesson)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Play(ctx, &bytes.Buffer{}, l, &scriptedRunner{block: true}, PlayOptions{}) }()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Play did not stop after cancel")
	}
}

func TestSpeedupPlotOnlyForASeries(t *testing.T) {
	var runs []timeline.Stats
	for _, n := range []int{1, 2, 4, 8} {
		s := timeline.Stats{Wall: time.Duration(float64(time.Second) * (0.1 + 0.9/float64(n))), Speedup: 1 / (0.1 + 0.9/float64(n))}
		s.Workers, s.Source = n, timeline.SourceSim
		runs = append(runs, s)
	}
	if got := uitimeline.SpeedupPlot(runs[:2], 80, false); got != "" {
		t.Errorf("two worker counts drew a plot:\n%s", got)
	}
	if got := uitimeline.SpeedupPlot(runs, 80, false); !strings.Contains(got, "serial fraction 0.100") || !strings.Contains(got, "○") {
		t.Errorf("series plot:\n%s", got)
	}
}
