package lessons

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/experiment"
)

const front = "---\nid: demo\ntitle: Demo\nminutes: 5\nsummary: A demo.\n---\n" // body starts at line 7

const goodBody = "# Step one\n\nIntro.\n\n```experiment\nmodel: gil\nworkers: 2\ntasks: 4*cpu(50ms)\ncompare:\n  - model: threads\n```\n\nIt took {{wall}}, {{run1.speedup}}.\n\n" +
	"```predict\nquestion: Faster?\nchoices:\n  - text: yes\n    when: faster_than_run1 >= 1.4\n  - text: no\n    when: faster_than_run1 < 1.4\nanswer: \"yes\"\n```\n\n```hint\nLook.\n```\n---\nStep two quotes {{speedup}}.\n"

func TestParseGood(t *testing.T) {
	l, errs := Parse("demo.md", []byte(front+goodBody))
	if len(errs) > 0 {
		t.Fatalf("unexpected errors: %v", errs)
	}
	if l.ID != "demo" || l.Title != "Demo" || l.Minutes != 5 || len(l.Steps) != 2 {
		t.Fatalf("lesson = %+v", l)
	}
	st := l.Steps[0]
	if st.Line != 7 || st.Experiment == nil || len(st.Experiment.Runs) != 2 || st.Predict == nil || len(st.Hints) != 1 {
		t.Fatalf("step 1 = %+v", st)
	}
	run2 := st.Experiment.Runs[1]
	if run2.Model != experiment.Threads || run2.Workers != 2 || run2.Tasks.Count() != 4 {
		t.Errorf("compare entry should inherit workers and tasks: %+v", run2)
	}
	if got := st.Text[:st.ExperimentAt]; got != "# Step one\n\nIntro." {
		t.Errorf("text before the experiment = %q", got)
	}
	if !strings.Contains(st.Text[st.ExperimentAt:], "It took {{wall}}") || strings.Contains(st.Text, "```") {
		t.Errorf("text after the experiment = %q", st.Text[st.ExperimentAt:])
	}
	if st.Predict.Answer != "yes" || st.Predict.AnswerIndex() != 0 {
		t.Errorf("predict = %+v", st.Predict)
	}
	if l.Steps[1].Line != 35 || l.Steps[1].Experiment != nil {
		t.Errorf("step 2 = %+v", l.Steps[1])
	}
}

func TestParseCRLFAndBOM(t *testing.T) {
	src := "\uFEFF" + strings.ReplaceAll(front+goodBody, "\n", "\r\n")
	l, errs := Parse("crlf.md", []byte(src))
	if len(errs) > 0 {
		t.Fatalf("CRLF and a BOM should be fine: %v", errs)
	}
	if strings.Contains(l.Steps[0].Text, "\r") {
		t.Errorf("text keeps carriage returns: %q", l.Steps[0].Text)
	}
	// Positions are the same as without them.
	_, errs = Parse("crlf.md", []byte("\uFEFF"+strings.ReplaceAll(front+"```experiment\nmodel: gil\ntasks: 4*cpu(5x)\n```\n", "\n", "\r\n")))
	if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), "crlf.md:9:15:") {
		t.Errorf("errors = %v, want one at 9:15", errs)
	}
}

// TestParseErrors feeds broken scripts of every kind and checks the exact position.
func TestParseErrors(t *testing.T) {
	exp := func(yaml string) string { return front + "Text.\n\n```experiment\n" + yaml + "```\n" } // YAML starts at line 10
	pred := func(yaml string) string {
		return front + "```experiment\nmodel: gil\nworkers: 2\ntasks: 4*cpu(50ms)\n```\n```predict\n" + yaml + "```\n" // predict YAML starts at line 13
	}
	cases := []struct {
		name, src, want string // want: "line:col: part of the message"
	}{
		{"no front matter", "# Hi\n", "1:1: a lesson starts with front matter"},
		{"front matter never closed", "---\nid: x\n", "1:1: the front matter opened here is never closed"},
		{"front matter YAML", "---\nid: [x\n---\nText\n", "2:5: YAML:"},
		{"unknown front key", "---\nid: demo\ntitel: Demo\nminutes: 5\nsummary: s\n---\nText\n", `3:1: unknown key "titel" in the front matter: did you mean "title"?`},
		{"missing title", "---\nid: demo\nminutes: 5\nsummary: s\n---\nText\n", "1:1: the front matter needs title:"},
		{"bad id", "---\nid: My Lesson\ntitle: T\nminutes: 5\nsummary: s\n---\nText\n", `2:5: id "My Lesson" should be lower-case`},
		{"minutes not a number", "---\nid: demo\ntitle: T\nminutes: ten\nsummary: s\n---\nText\n", `4:10: minutes should be a whole number`},
		{"minutes too many", "---\nid: demo\ntitle: T\nminutes: 999\nsummary: s\n---\nText\n", `4:10: minutes should be 1 to 240`},
		{"empty first step", front + "\n\n---\nText\n", "6:1: empty step"},
		{"empty middle step", front + "One\n---\n\n---\nThree\n", "8:1: empty step"},
		{"empty last step", front + "One\n---\n", "8:1: empty step"},
		{"unclosed fence", front + "Text\n```python\nx = 1\n", "8:1: this ``` fence is never closed"},
		{"misspelt block", front + "Text\n```predcit\nquestion: q\n```\n", `8:4: unknown block "predcit": did you mean "predict"?`},
		{"experiment YAML error", exp("model: gil\ntasks: [4*cpu(5ms)\n"), "11:8: YAML:"},
		{"unknown experiment key", exp("model: gil\nworker: 2\ntasks: 4*cpu(5ms)\n"), `11:1: unknown key "worker" in an experiment: did you mean "workers"?`},
		{"lessons never name an interpreter", exp("model: py-threads\npython: /bin/sh\ntasks: 4*cpu(5ms)\n"), `11:1: unknown key "python" in an experiment`},
		{"lessons never run a command", exp("model: py-threads\nwatch: rm -rf /\ntasks: 4*cpu(5ms)\n"), `11:1: unknown key "watch" in an experiment`},
		{"unknown key far from any", exp("model: gil\nzzzzzz: 2\ntasks: 4*cpu(5ms)\n"), `11:1: unknown key "zzzzzz" in an experiment (known keys: name, model`},
		{"bad model", exp("model: gill\ntasks: 4*cpu(5ms)\n"), `10:8: model: unknown model "gill"`},
		{"missing model", exp("tasks: 4*cpu(5ms)\n"), "9:1: an experiment needs model:"},
		{"missing tasks", exp("model: gil\n"), "9:1: an experiment needs tasks:"},
		{"bad notation", exp("model: gil\ntasks: 4*cpu(5ms), 2*disk(1s)\n"), `11:22: tasks: expected a step cpu(…), io(…), http(…), hash(…), fail or add(…), found "disk"`},
		{"bad notation quoted", exp("model: gil\ntasks: \"4*cpu(5x)\"\n"), `11:16: tasks: expected a unit ns, us, ms or s after 5`},
		{"bad notation in compare", exp("model: gil\ntasks: 4*cpu(5ms)\ncompare:\n  - tasks: 4*io(\n"), `13:17: compare 1: tasks: expected a duration`},
		{"tasks as a YAML list", exp("model: gil\ntasks: [cpu(5ms) io(5ms)]\n"), `11:8: tasks: a value starting with [ reads as a YAML list`},
		{"workers not a number", exp("model: gil\nworkers: two\ntasks: 4*cpu(5ms)\n"), `11:10: workers should be a whole number`},
		{"limit: asyncio workers", exp("model: asyncio\nworkers: 4\ntasks: 4*io(5ms)\n"), `11:10: workers: asyncio runs on exactly 1 worker`},
		{"limit: too many threads", exp("model: threads\nworkers: 1000\ntasks: 4*io(5ms)\n"), `11:10: workers: at most 256 threads`},
		{"limit: planned work", exp("model: serial\ntasks: 100*cpu(1s)\n"), `11:8: tasks: about 1m40s of planned work is more than the 1m0s limit`},
		{"limit: inherited key in compare", exp("model: gil\nswitch-interval: 1ms\ntasks: 4*cpu(5ms)\ncompare:\n  - model: threads\n"), `11:18: compare 1: switch-interval: only the gil and py-threads models have a switch interval`},
		{"limit: whole experiment", exp("model: serial\ntasks: 40*cpu(1s)\ncompare:\n  - name: again\n"), `9:1: the runs of this experiment plan about 1m20s of work`},
		{"bad switch interval", exp("model: gil\nswitch-interval: fast\ntasks: 4*cpu(5ms)\n"), `11:18: switch-interval should be a duration`},
		{"key twice", exp("model: gil\nmodel: threads\ntasks: 4*cpu(5ms)\n"), `11:1: YAML: mapping key "model" already defined`},
		{"two experiments", front + "T\n```experiment\nmodel: gil\ntasks: 4*cpu(5ms)\n```\n```experiment\nmodel: gil\ntasks: 4*cpu(5ms)\n```\n", "12:1: a step runs one experiment"},
		{"compare not a list", exp("model: gil\ntasks: 4*cpu(5ms)\ncompare: threads\n"), "12:10: compare should be a list"},
		{"unknown key in compare", exp("model: gil\ntasks: 4*cpu(5ms)\ncompare:\n  - modle: threads\n"), `13:5: unknown key "modle" in a compare entry: did you mean "model"?`},
		{"anchor", exp("model: &m gil\ntasks: 4*cpu(5ms)\n"), "10:8: YAML anchors and aliases"},
		{"answer not a choice", pred("question: q\nchoices: [about 2x, about the same]\nanswer: about 3x\n"), `15:9: answer "about 3x" is not one of the choices: did you mean "about 2x"?`},
		{"answer far from choices", pred("question: q\nchoices: [yes, no]\nanswer: perhaps so\n"), `15:9: answer "perhaps so" is not one of the choices (choices: "yes", "no")`},
		{"missing answer", pred("question: q\nchoices: [yes, no]\n"), "12:1: a prediction needs answer:"},
		{"one choice", pred("question: q\nchoices: [yes]\nanswer: \"yes\"\n"), "14:10: a prediction needs at least two choices"},
		{"bad condition operator", pred("question: q\nchoices:\n  - text: a\n    when: speedup =< 1.3\n  - text: b\n    when: speedup > 1.3\nanswer: a\n"), `16:19: when: expected <, <=, >, >= or == after speedup, found "=<"`},
		{"bad condition name", pred("question: q\nchoices:\n  - text: a\n    when: speedup < 1.3 and spedup > 0\n  - text: b\n    when: speedup > 1.3\nanswer: a\n"), `16:29: when: unknown measured value "spedup": did you mean "speedup"?`},
		{"bad condition unit", pred("question: q\nchoices:\n  - text: a\n    when: wall < 3 parsecs\n  - text: b\n    when: wall > 3s\nanswer: a\n"), `16:20: when: expected "and" or the end, found "parsecs"`},
		{"condition or", pred("question: q\nchoices:\n  - text: a\n    when: speedup < 1 or speedup > 2\n  - text: b\n    when: speedup > 1.3\nanswer: a\n"), `16:23: when: "or" is not supported`},
		{"condition quotes a missing run", pred("question: q\nchoices:\n  - text: a\n    when: run2.wall < 1\n  - text: b\n    when: wall > 1\nanswer: a\n"), `16:11: when: "run2.wall" quotes run 2, but the experiment has 1 run(s)`},
		{"condition without experiment", front + "T\n```predict\nquestion: q\nchoices:\n  - text: a\n    when: speedup < 1\n  - b\nanswer: a\n```\n", "12:11: when: a condition judges this step's run, but the step has no experiment block"},
		{"answer without condition", pred("question: q\nchoices:\n  - text: a\n    when: speedup < 1\n  - b\nanswer: b\n"), `18:9: answer "b" has no when: condition while other choices do`},
		{"unknown predict key", pred("question: q\nchoices: [a, b]\nanswer: a\nexplanaton: x\n"), `16:1: unknown key "explanaton" in a prediction: did you mean "explanation"?`},
		{"choice listed twice", pred("question: q\nchoices: [a, a]\nanswer: a\n"), `14:14: choice "a" is listed twice`},
		{"placeholder unknown", front + "It took {{wal}}.\n", `7:11: unknown measured value "wal": did you mean "wall"?`},
		{"placeholder before any run", front + "It took {{wall}}.\n", `7:11: "wall" quotes a run, but no experiment runs before it in this lesson`},
		{"placeholder in hint", front + "T\n```hint\nsee {{speedp}}\n```\n", `9:7: unknown measured value "speedp"`},
		{"empty hint", front + "T\n```hint\n\n```\n", "8:1: empty hint block"},
		{"empty notes", front + "T\n```notes\n  \n```\n", "8:1: empty notes block"},
		{"placeholder in notes", front + "T\n```notes\nsay {{wal}}\n```\n", `9:7: unknown measured value "wal"`},
		{"misspelt notes", front + "T\n```noets\nx\n```\n", `8:4: unknown block "noets": did you mean "notes"?`},
		{"not UTF-8", front + "caf\xe9\n", "7:4: not UTF-8 text"},
		{"second YAML document", exp("model: gil\ntasks: 4*cpu(5ms)\n---\nmodel: threads\n"), "12:1: this experiment block holds more than one YAML document"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errs := Parse("x.md", []byte(c.src))
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
				if strings.HasPrefix(e.Error(), "x.md:"+c.want) {
					return
				}
			}
			t.Errorf("want an error x.md:%s\ngot:\n  %s", c.want, strings.Join(got, "\n  "))
		})
	}
}

func TestParseIndentedFence(t *testing.T) {
	src := front + "- a list item:\n\n  ```experiment\n  model: gil\n  tasks: 4*cpu(5x)\n  ```\n"
	_, errs := Parse("x.md", []byte(src))
	if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), "x.md:11:17:") {
		t.Errorf("errors = %v, want one at 11:17", errs)
	}
}

func TestParseCodeKeepsSeparatorsAndBlocks(t *testing.T) {
	src := front + "Text\n\n~~~markdown\n---\n```experiment\nnot: yaml: here\n```\n~~~\n"
	l, errs := Parse("x.md", []byte(src))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if len(l.Steps) != 1 || l.Steps[0].Experiment != nil || !strings.Contains(l.Steps[0].Text, "```experiment") {
		t.Errorf("a fenced sample should stay text: %+v", l.Steps)
	}
}

func TestParseDurationsAndFlags(t *testing.T) {
	src := front + "```experiment\nmodel: processes\nworkers: 2\nchunk-size: auto\ntasks: 10*cpu(1ms) in=1KB\ncompare:\n  - chunk-size: 1\n  - fresh: true\n    chunk-size: 0\n```\n"
	l, errs := Parse("x.md", []byte(src))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	runs := l.Steps[0].Experiment.Runs
	if runs[0].ChunkSize != 0 || runs[1].ChunkSize != 1 || !runs[2].Fresh || runs[2].Tasks.List()[0].In != 1024 {
		t.Errorf("runs = %+v", runs)
	}
	src = front + "```experiment\nmodel: gil\nswitch-interval: 1ms\ntasks: 2*cpu(5ms)\n```\n"
	if l, errs = Parse("x.md", []byte(src)); len(errs) > 0 || l.Steps[0].Experiment.Runs[0].SwitchInterval != time.Millisecond {
		t.Errorf("switch-interval: %v %+v", errs, l)
	}
}

func ExampleParse() {
	src := "---\nid: demo\ntitle: Demo\nminutes: 5\nsummary: s\n---\n```experiment\nmodel: gil\ntasks: 4*cpu(5ms), 2*dsk(1s)\n```\n"
	_, errs := Parse("demo.md", []byte(src))
	for _, err := range errs {
		fmt.Println(err)
	}
	// Output: demo.md:9:22: tasks: expected a step cpu(…), io(…), http(…), hash(…), fail or add(…), found "dsk"
}

// TestParseFocus: focus: is auto (0) or the close-up's width; anything else is a
// problem at the key.
func TestParseFocus(t *testing.T) {
	for in, want := range map[string]time.Duration{"": 0, "focus: auto\n": 0, "focus: 30ms\n": 30 * time.Millisecond} {
		src := front + "```experiment\nmodel: gil\n" + in + "tasks: 2*cpu(5ms)\n```\n"
		l, errs := Parse("x.md", []byte(src))
		if len(errs) > 0 || l.Steps[0].Experiment.Focus != want {
			t.Errorf("%q: focus %v, errors %v; want %v", in, l.Steps[0].Experiment.Focus, errs, want)
		}
	}
	for _, in := range []string{"focus: wide\n", "focus: -5ms\n", "focus: 0s\n"} {
		if _, errs := Parse("x.md", []byte(front+"```experiment\nmodel: gil\n"+in+"tasks: 2*cpu(5ms)\n```\n")); len(errs) == 0 {
			t.Errorf("%q: no problem reported", in)
		}
	}
}

// TestParseReplay: replay: is slow or one of the slowed speeds; anything else is a
// problem at the value, on its line and column.
func TestParseReplay(t *testing.T) {
	for in, want := range map[string]float64{"": 0, "replay: slow\n": ReplaySlow, "replay: 0.01x\n": 0.01, "replay: 0.1×\n": 0.1, "replay: 0.5\n": 0.5} {
		src := front + "```experiment\nmodel: gil\n" + in + "tasks: 2*cpu(5ms)\n```\n"
		l, errs := Parse("x.md", []byte(src))
		if len(errs) > 0 || l.Steps[0].Experiment.Replay != want {
			t.Errorf("%q: replay %v, errors %v; want %v", in, l.Steps[0].Experiment.Replay, errs, want)
		}
	}
	for _, in := range []string{"replay: fast\n", "replay: 2x\n", "replay: 0.2x\n", "replay: 0\n", "replay:\n"} {
		src := front + "```experiment\nmodel: gil\n" + in + "tasks: 2*cpu(5ms)\n```\n"
		_, errs := Parse("x.md", []byte(src))
		if len(errs) != 1 {
			t.Errorf("%q: problems %v, want one", in, errs)
			continue
		}
		line := strings.Count(front, "\n") + 3
		if msg := errs[0].Error(); !strings.Contains(msg, fmt.Sprintf("x.md:%d:", line)) || !strings.Contains(msg, "replay") {
			t.Errorf("%q: %q does not name replay at line %d", in, msg, line)
		}
	}
}

// Speaker notes are the presenter's alone: taken out of the text a learner reads, in
// the order written, and never mistaken for a hint.
func TestParseNotes(t *testing.T) {
	src := "---\nid: n\ntitle: N\nminutes: 1\nsummary: s\n---\nSay hello.\n\n```notes\nAsk who has used threads.\n```\n\nMore text.\n\n```notes\nPause here.\n```\n---\nTwo.\n"
	l, errs := Parse("n.md", []byte(src))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	st := l.Steps[0]
	if want := []string{"Ask who has used threads.", "Pause here."}; !slices.Equal(st.Notes, want) {
		t.Errorf("notes = %q, want %q", st.Notes, want)
	}
	if strings.Contains(st.Text, "threads") || strings.Contains(st.Text, "Pause") || len(st.Hints) > 0 {
		t.Errorf("notes leaked into what a learner sees: text %q, hints %q", st.Text, st.Hints)
	}
	if st.Text != "Say hello.\n\nMore text." {
		t.Errorf("text = %q", st.Text)
	}
	if len(l.Steps[1].Notes) != 0 {
		t.Errorf("step 2 has notes %q", l.Steps[1].Notes)
	}
}
