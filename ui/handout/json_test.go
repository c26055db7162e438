package handout

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// A question about run 2 of three: the verdict rides on run 2's record, and each
// record says what ran, defaults filled in.
const questionAboutRun2 = `---
id: json-test
title: JSON test
minutes: 1
summary: s
---
Text.

` + "```experiment\nmodel: gil\nworkers: 2\ntasks: 4*cpu(100ms)\ncompare:\n  - model: processes\n    chunk-size: 2\n  - model: gil\n    switch-interval: 1ms\n```" + `

` + "```predict\nquestion: Do processes beat the GIL?\nchoices:\n  - text: yes\n    when: run2.faster_than_run1 >= 1.4\n  - text: no\n    when: run2.faster_than_run1 < 1.4\nanswer: yes\n```\n"

func TestPlayJSONRecordsWhatRanAndTheRunAsked(t *testing.T) {
	l := uitest.Lesson(t, questionAboutRun2)
	run := &scriptedRunner{speedup: map[experiment.Model]float64{experiment.GIL: 1, experiment.Processes: 2}}
	var out bytes.Buffer
	if err := Play(context.Background(), &out, l, run, PlayOptions{JSON: true}); err != nil {
		t.Fatal(err)
	}
	var recs []map[string]any
	for sc := bufio.NewScanner(&out); sc.Scan(); {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		recs = append(recs, rec)
	}
	if len(recs) != 3 {
		t.Fatalf("want 3 records, got %d", len(recs))
	}
	for i, rec := range recs {
		_, has := rec["predicted_ok"]
		if has != (i == 1) {
			t.Errorf("run %d carries predicted_ok: %v (only run 2, the one asked about, should)", i+1, has)
		}
		if rec["task_spec"] != "4*cpu(100ms)" {
			t.Errorf("run %d task_spec = %v", i+1, rec["task_spec"])
		}
	}
	if recs[1]["predicted_ok"] != true || recs[1]["measured_choice"] != "yes" || recs[1]["question"] == nil || len(recs[1]["choices"].([]any)) < 2 {
		t.Errorf("run 2 = %v: want the question, its choices, the answer and the measured choice", recs[1])
	}
	want := []struct {
		chunk, sw float64
		spec      string
	}{{0, 0.005, "gil ×2 · 4*cpu(100ms)"}, {2, 0, "processes ×2 · 4*cpu(100ms)"}, {0, 0.001, "gil ×2 · 4*cpu(100ms)"}}
	for i, w := range want {
		if recs[i]["chunk_size"] != w.chunk || recs[i]["switch_interval_s"] != w.sw || recs[i]["spec"] != w.spec {
			t.Errorf("run %d: chunk_size %v, switch_interval_s %v, spec %v; want %v, %v, %v", i+1,
				recs[i]["chunk_size"], recs[i]["switch_interval_s"], recs[i]["spec"], w.chunk, w.sw, w.spec)
		}
	}
}

func TestQuestionRun(t *testing.T) {
	for _, tc := range []struct {
		names []string
		runs  int
		want  int
	}{
		{[]string{"run1.wall_s"}, 3, 0},
		{[]string{"run1.wall_s", "run2.wall_s"}, 3, 1},
		{[]string{"faster_than_run1"}, 3, 2},
		{[]string{"run9.wall_s"}, 3, 2},
		{nil, 3, -1},
	} {
		if got := questionRun(tc.names, tc.runs); got != tc.want {
			t.Errorf("questionRun(%v, %d) = %d, want %d", tc.names, tc.runs, got, tc.want)
		}
	}
}

// The CPython pools say the chunk size they ran with, defaults filled in as the
// engines fill them: one task a message for ProcessPoolExecutor.map, Pool.map's own
// rule for multiprocessing.
func TestRecordRanCPythonPools(t *testing.T) {
	tasks, err := experiment.ParseTasks("100*cpu(1ms)")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		model experiment.Model
		chunk int
		sw    float64
	}{
		{experiment.PyProcesses, 1, 0},
		{experiment.PyPool, experiment.AutoChunkSize(100, 2), 0},
		{experiment.PyThreads, 0, 0.005},
	} {
		var r recordAbout
		r.ran(experiment.Spec{Model: tc.model, Workers: 2, Tasks: tasks})
		if r.ChunkSize != tc.chunk || r.SwitchInterval != tc.sw || r.TaskSpec != "100*cpu(1ms)" {
			t.Errorf("%s: %+v; want chunk_size %d, switch_interval_s %v", tc.model, r, tc.chunk, tc.sw)
		}
	}
}

// Hints, notices and explanations are Markdown in a handout as on the screen: no
// **source** left in them.
func TestPlayHintsAreMarkdown(t *testing.T) {
	src := strings.Replace(playLesson, "Watch the cores.", "Watch **the cores**.", 1)
	src = strings.Replace(src, "No lock, no turns.", "No lock, *no* turns.", 1)
	l := uitest.Lesson(t, src)
	run := &scriptedRunner{speedup: map[experiment.Model]float64{experiment.GIL: 1, experiment.Threads: 2}}
	var out bytes.Buffer
	if err := Play(context.Background(), &out, l, run, PlayOptions{Width: 80}); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	if strings.Contains(text, "**") || strings.Contains(text, "*no*") || !strings.Contains(text, "Hint: Watch the cores.") || !strings.Contains(text, "No lock, no turns.") {
		t.Errorf("hint or explanation printed as source:\n%s", text)
	}
}
