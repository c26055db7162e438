package lessons

import (
	"strings"
	"testing"
)

const ifBody = "# Pools\n\n```experiment\nmodel: gil\nworkers: 2\ntasks: 4*cpu(20ms)\ncompare:\n  - model: threads\n```\n\n" +
	"Before.\n\n```if\nwhen: run2.wall < run1.wall\nthen: Without a lock it took {{run2.wall}}, {{run2.vs_run1}}.\nelse: Without a lock it was no faster.\nclaim: true\n```\n\nAfter.\n"

// An if block stays where it stood as a paragraph; Fill shows the branch the values
// support, "…" before they exist; a claim the runs contradict is listed.
func TestIfBlockPicksItsBranchAndClaims(t *testing.T) {
	l, errs := Parse("if.md", []byte(front+ifBody))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	st := l.Steps[0]
	faster := Measured([]map[string]float64{{"wall_s": 0.2}, {"wall_s": 0.1}})
	slower := Measured([]map[string]float64{{"wall_s": 0.1}, {"wall_s": 0.125}})
	for _, tc := range []struct {
		values map[string]float64
		want   string
		claims int
	}{
		{nil, "Before.\n\n…\n\nAfter.", 0},
		{faster, "Before.\n\nWithout a lock it took 100 ms, 2.00× faster.\n\nAfter.", 0},
		{slower, "Before.\n\nWithout a lock it was no faster.\n\nAfter.", 1},
	} {
		if got := Fill(st.Text[st.ExperimentAt:], tc.values); strings.TrimSpace(got) != tc.want {
			t.Errorf("Fill = %q, want %q", got, tc.want)
		}
		if got := st.Contradicted(tc.values); len(got) != tc.claims {
			t.Errorf("contradicted %q, want %d", got, tc.claims)
		}
	}
	if got := Fill("{{vs_run1}}", slower); got != "1.25× slower" {
		t.Errorf("vs_run1 below 1 = %q, want 1.25× slower", got)
	}
}

// An if block is checked like a prediction: its keys, its condition and the values
// it reads.
func TestIfBlockErrors(t *testing.T) {
	for _, tc := range []struct{ block, want string }{
		{"when: run3.wall < 1s\nthen: x", `quotes run 3, but the experiment has 2 run(s)`},
		{"then: x", "an if block needs when:"},
		{"when: wall <\nthen: x", "when: "},
		{"when: wall < 1s\nthen: x\nelif: y", `unknown key "elif"`},
	} {
		src := front + strings.Replace(ifBody, "when: run2.wall < run1.wall\nthen: Without a lock it took {{run2.wall}}, {{run2.vs_run1}}.\nelse: Without a lock it was no faster.\nclaim: true", tc.block, 1)
		_, errs := Parse("if.md", []byte(src))
		if len(errs) == 0 || !strings.Contains(errs[0].Error(), tc.want) {
			t.Errorf("%q: errors %v, want %q", tc.block, errs, tc.want)
		}
	}
}

// check names every figure typed into prose, and the ratio wordings a measurement
// below 1 contradicts; inputs, code, placeholders and quotations pass.
func TestFiguresInProse(t *testing.T) {
	for _, tc := range []struct {
		line string
		want []string
	}{
		{"It took 1.8 s, a 2.0× speed-up, 25 % lost, 192 times a second.", []string{`"1.8 s"`, `"2.0×"`, `"25 %"`, `"192 times a second"`}},
		{"Each task computes 20 ms; `cpu(200ms)`; {{wall}}; CPython 3.11 on 2 cores, 4 workers.", nil},
		{"> Beazley measured 24.6 s against 45.5 s.", nil},
		{"Payloads of 1 KB and 10 MB.", []string{`"10 MB"`}},
		{"It ran 0.96× as fast.", []string{`"0.96×"`, `never "as fast"`}},
		{"{{run2.faster_than_run1}} faster, {{speedup}} slower", []string{"quote {{run2.vs_run1}}", "quote {{vs_serial}}"}},
	} {
		p := &problems{file: "x.md"}
		checkFigures(tc.line, 1, 0, map[string]bool{inputKey("20ms"): true, inputKey("1KB"): true}, p)
		errs := p.sorted()
		if len(errs) != len(tc.want) {
			t.Errorf("%q: %v, want %d problems", tc.line, errs, len(tc.want))
			continue
		}
		for i, w := range tc.want {
			if !strings.Contains(errs[i].Error(), w) {
				t.Errorf("%q: problem %d is %v, want %q", tc.line, i, errs[i], w)
			}
		}
	}
}
