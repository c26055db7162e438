package lessons

import (
	"errors"
	"regexp"
	"strings"
	"sync"
)

// An if block is text that depends on what was measured, so no sentence the numbers
// can contradict is ever shown as fixed text:
//
//	```if
//	when: run2.wall < run1.wall
//	then: A hundred tasks a message took {{run2.wall}}, {{run2.vs_run1}} than one thread.
//	else: Even a hundred tasks a message took {{run2.wall}}: slower than one thread.
//	claim: true
//	```
//
// The player shows then when the condition holds and else (or nothing) otherwise. With
// claim: true the lesson asserts the condition: play fails when a run contradicts it.

var ifKeys = []string{"when", "then", "else", "claim"}

// Claim is a condition a lesson asserts about its step's runs, with the sentence that
// depends on it: play fails when a run contradicts it.
type Claim struct {
	When string
	Text string // the sentence shown while the condition holds
	cond condition
}

// Holds reports whether values (Measured of the step's runs) bear the claim out, and
// whether they could judge it at all (every value it reads was measured).
func (c Claim) Holds(values map[string]float64) (holds, judged bool) {
	judged = true
	c.cond.names(func(name string, _ int) {
		if _, ok := lookup(values, name); !ok {
			judged = false
		}
	})
	return judged && c.cond.holds(values), judged
}

// Contradicted lists the claims of the step that values contradict, each as the
// sentence it guards and its condition.
func (s Step) Contradicted(values map[string]float64) []string {
	var out []string
	for _, c := range s.Claims {
		if holds, judged := c.Holds(values); judged && !holds {
			out = append(out, Fill(c.Text, values)+" (when: "+c.When+")")
		}
	}
	return out
}

// The text keeps an if block where it stood, as one paragraph between these runes
// (Unicode private use: never typed in a lesson): Fill picks the branch.
const (
	ifOpen = '\uE000'
	ifThen = '\uE001'
	ifElse = '\uE002'
	ifEnd  = '\uE003'
)

var ifSegment = regexp.MustCompile("\uE000([^\uE001]*)\uE001([^\uE002]*)\uE002([^\uE003]*)\uE003")

// readIf reads an if block into its inline form for the step's text; a claim also
// goes to the step's Claims. runs is what the lesson's latest experiment has run.
func readIf(f *fence, runs int, st *Step, p *problems) string {
	b := &block{src: strings.Join(f.content, "\n"), line: f.line + 1, col: f.indent + 1, fenceLine: f.line, name: "if", problems: p}
	n := b.parse()
	if n == nil {
		return ""
	}
	fields := b.fields(n, "an if block", ifKeys)
	for _, req := range []string{"when", "then"} {
		if _, ok := fields[req]; !ok {
			p.add(f.line, f.indent+1, "an if block needs %s:", req)
		}
	}
	var when, then, otherwise string
	var cond condition
	if k, ok := fields["when"]; ok {
		when, _ = b.str(k)
		cond = b.measuredCondition(k, runs)
	}
	for key, dst := range map[string]*string{"then": &then, "else": &otherwise} {
		if k, ok := fields[key]; ok {
			*dst, _ = b.str(k)
			*dst = strings.Join(strings.Fields(*dst), " ")
			checkPlaceholders(*dst, k.val.line, k.val.col-1, runs, p)
		}
	}
	if k, ok := fields["claim"]; ok {
		if claim, ok := b.boolean(k); ok && claim && cond != nil {
			st.Claims = append(st.Claims, Claim{When: when, Text: then, cond: cond})
		}
	}
	if cond == nil || then == "" {
		return ""
	}
	return string(ifOpen) + when + string(ifThen) + then + string(ifElse) + otherwise + string(ifEnd)
}

// measuredCondition parses a when: that reads the lesson's latest experiment's runs.
func (b *block) measuredCondition(k keyed, runs int) condition {
	if k.val.kind != scalarNode {
		b.problems.add(k.val.line, k.val.col, "when: should be a condition such as run2.wall < run1.wall")
		return nil
	}
	c, err := parseCondition(k.val.text)
	var ce *condError
	if errors.As(err, &ce) {
		line, col := inside(k.val, ce.col)
		b.problems.add(line, col, "when: %s", ce.msg)
		return nil
	}
	if err != nil {
		return nil
	}
	return b.knownNames(k, c, runs)
}

// knownNames returns c if every value it quotes is one the runs measure, else nil,
// with a problem at each name that is not.
func (b *block) knownNames(k keyed, c condition, runs int) condition {
	bad := false
	c.names(func(name string, col int) {
		if msg := checkName(name, runs); msg != "" {
			line, col := inside(k.val, col)
			b.problems.add(line, col, "when: %s", msg)
			bad = true
		}
	})
	if bad {
		return nil
	}
	return c
}

var conditions sync.Map // when: text → condition, parsed once

// fillIfs replaces each inline if block with the branch values support; before
// anything was measured, with "…".
func fillIfs(text string, values map[string]float64) string {
	if !strings.ContainsRune(text, ifOpen) {
		return text
	}
	return ifSegment.ReplaceAllStringFunc(text, func(m string) string {
		parts := ifSegment.FindStringSubmatch(m)
		c, ok := conditions.Load(parts[1])
		if !ok {
			parsed, err := parseCondition(parts[1])
			if err != nil {
				return "…"
			}
			c, _ = conditions.LoadOrStore(parts[1], parsed)
		}
		cl := Claim{cond: c.(condition)}
		switch holds, judged := cl.Holds(values); {
		case !judged:
			return "…"
		case holds:
			return parts[2]
		}
		return parts[3]
	})
}
