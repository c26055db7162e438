package lessons

import (
	"strings"
	"testing"
)

func baselineLesson(run1Tasks, when string) string {
	return "---\nid: base\ntitle: Base\nminutes: 1\nsummary: s\n---\n# Step\n\n" +
		"```predict\nquestion: Faster?\nchoices:\n  - text: yes\n    when: " + when + " >= 1.3\n  - text: no\n    when: " + when + " < 1.3\nanswer: yes\n```\n\n" +
		"```experiment\nmodel: serial\ntasks: " + run1Tasks + "\ncompare:\n  - model: threads\n    workers: 2\n```\n"
}

func TestShortBaselineIsReported(t *testing.T) {
	_, errs := Parse("base.md", []byte(baselineLesson("10000*cpu(2us)", "faster_than_run1")))
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "base.md:9:1: when: faster_than_run1 compares with run 1, which plans only 20ms of work") {
		t.Fatalf("errors %v, want one about the 20 ms baseline at the predict block", errs)
	}
}

func TestLongBaselineOrCalibratedFigureIsFine(t *testing.T) {
	for _, c := range []struct{ tasks, when string }{
		{"4*cpu(150ms)", "faster_than_run1"}, // 600 ms on one thread
		{"10000*cpu(2us)", "run2.speedup"},   // calibrated: what one thread needs on an idle core
	} {
		if _, errs := Parse("base.md", []byte(baselineLesson(c.tasks, c.when))); len(errs) > 0 {
			t.Errorf("%s with run 1 %s: %v", c.when, c.tasks, errs)
		}
	}
}

func TestBestWallSharesWorkAmongWorkersAndCores(t *testing.T) {
	l, errs := Parse("base.md", []byte(strings.Replace(baselineLesson("8*cpu(100ms)", "speedup"), "model: serial", "model: threads\nworkers: 4\ncores: 2", 1)))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if got := bestWall(l.Steps[0].Experiment.Runs[0]); got.Milliseconds() != 400 {
		t.Fatalf("best wall %v, want 800ms of work over 2 cores = 400ms", got)
	}
}

// A prediction can be judged on per-task time: "each task takes twice as long inside
// a GIL pool" is a condition on measured values, by name or alias.
func TestConditionsReadPerTaskFigures(t *testing.T) {
	values := Measured([]map[string]float64{{"task_slowdown_p50": 1.95, "task_wall_p50_s": 0.293}})
	for src, want := range map[string]bool{
		"slowdown >= 1.6x":                        true,
		"task_slowdown_p50 < 1.3":                 false,
		"task_wall > 250ms and task_wall < 350ms": true,
		"others_cpu_s < 0.1":                      false, // not measured: no comparison holds
	} {
		c, err := parseCondition(src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if got := c.holds(values); got != want {
			t.Errorf("%s holds %v, want %v", src, got, want)
		}
	}
}
