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
