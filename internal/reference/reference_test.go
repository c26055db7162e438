package reference

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/lessons"
)

// demo asks a prediction about a gil run beside a threads run, and runs a model
// machine in a step that asks nothing.
const demo = "---\nid: demo\ntitle: Demo\nminutes: 5\nsummary: A demo.\n---\n# One\n\n```experiment\nmodel: gil\nworkers: 2\ntasks: 4*cpu(50ms)\ncompare:\n  - model: threads\n```\n\n" +
	"```predict\nquestion: Faster?\nchoices:\n  - text: yes\n    when: faster_than_run1 >= 1.4\n  - text: no\n    when: faster_than_run1 < 1.4\nanswer: \"yes\"\n```\n---\n# Two\n\n```experiment\nmodel: threads\nworkers: 64\ncores: 64\nsim: true\ntasks: 64*cpu(10ms)\n```\n"

func demoLesson(t *testing.T) *lessons.Lesson {
	l, errs := lessons.Parse("demo.md", []byte(demo))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return l
}

// traceOf is what recording spec would have written.
func traceOf(t *testing.T, spec experiment.Spec) []byte {
	rec := timeline.NewRecorder(spec.Meta())
	lane := rec.Lane("T1")
	lane.Append(timeline.Event{T: 1, State: timeline.Running, Task: 0, CPUTime: 0})
	lane.Append(timeline.Event{T: 2e8, State: timeline.Off, Task: timeline.NoTask, CPUTime: 2e8})
	rec.Begin(1)
	rec.Finish(2e8)
	var buf bytes.Buffer
	if err := Write(&buf, rec.Snapshot()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func store(t *testing.T, l *lessons.Lesson, runs map[string]experiment.Spec) fstest.MapFS {
	about := About{Recorded: time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC), Machine: "2-vCPU VM, Xeon", Load: 0.3, Runs: map[string]string{}}
	fsys := fstest.MapFS{}
	for name, spec := range runs {
		fsys[Dir(l.ID)+"/"+name] = &fstest.MapFile{Data: traceOf(t, spec)}
		about.Runs[name] = spec.String()
	}
	data, _ := json.Marshal(about)
	fsys[Dir(l.ID)+"/about.json"] = &fstest.MapFile{Data: data}
	return fsys
}

func TestCheckWantsEveryJudgedRealRunRecordedFromItsSpec(t *testing.T) {
	l := demoLesson(t)
	gil, threads := l.Steps[0].Experiment.Runs[0], l.Steps[0].Experiment.Runs[1]
	if errs := Check(store(t, l, map[string]experiment.Spec{"step1-run1.json.gz": gil, "step1-run2.json.gz": threads}), l); len(errs) > 0 {
		t.Errorf("both judged runs recorded (the model machine's needs none): %v", errs)
	}
	errs := Check(store(t, l, map[string]experiment.Spec{"step1-run1.json.gz": gil}), l)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "step 1, run 2") {
		t.Errorf("run 2 missing: %v", errs)
	}
	errs = Check(store(t, l, map[string]experiment.Spec{"step1-run1.json.gz": gil, "step1-run2.json.gz": gil}), l)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), `recorded from "gil ×2`) {
		t.Errorf("run 2 recorded from run 1's spec: %v", errs)
	}
	if errs := Check(fstest.MapFS{}, l); len(errs) != 1 || !strings.Contains(errs[0].Error(), "no reference runs") {
		t.Errorf("no reference runs at all: %v", errs)
	}
}

func TestTraceAndLabel(t *testing.T) {
	l := demoLesson(t)
	gil := l.Steps[0].Experiment.Runs[0]
	s, err := Open(store(t, l, map[string]experiment.Spec{"step1-run1.json.gz": gil}), l.ID)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := s.Trace(1, 1)
	if err != nil || tr.Model != "gil" || len(tr.Lanes) != 1 {
		t.Fatalf("trace %+v, %v", tr, err)
	}
	if got, want := s.About.Label(), "recorded on a 2-vCPU VM, Xeon, 2026-12-07 (load 0.3)"; got != want {
		t.Errorf("label %q, want %q", got, want)
	}
}
