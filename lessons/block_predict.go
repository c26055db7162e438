package lessons

import (
	"errors"
	"strings"
)

var predictKeys = []string{"question", "choices", "answer", "explanation"}
var choiceKeys = []string{"text", "when"}

// readPredict reads a predict block. stepRuns is how many runs the step's own
// experiment has (0: none), which conditions may quote; lessonRuns is what text may quote.
func readPredict(f *fence, stepRuns, lessonRuns int, p *problems) *Predict {
	b := &block{src: strings.Join(f.content, "\n"), line: f.line + 1, col: f.indent + 1, fenceLine: f.line, name: "predict", problems: p}
	n := b.parse()
	if n == nil {
		return nil
	}
	fields := b.fields(n, "a prediction", predictKeys)
	pr := &Predict{}
	for _, req := range []string{"question", "choices", "answer"} {
		if _, ok := fields[req]; !ok {
			p.add(f.line, f.indent+1, "a prediction needs %s:", req)
		}
	}
	if k, ok := fields["question"]; ok {
		pr.Question, _ = b.str(k)
		checkPlaceholders(pr.Question, k.val.line, k.val.col-1, lessonRuns, p)
	}
	if k, ok := fields["explanation"]; ok {
		pr.Explanation, _ = b.str(k)
		checkPlaceholders(pr.Explanation, k.val.line, k.val.col-1, max(lessonRuns, stepRuns), p)
	}
	var answerChoice = -1
	if k, ok := fields["choices"]; ok {
		pr.Choices = b.choices(k, stepRuns)
	}
	if k, ok := fields["answer"]; ok {
		if a, ok := b.str(k); ok {
			pr.Answer = a
			answerChoice = pr.AnswerIndex()
			if answerChoice < 0 && len(pr.Choices) > 0 {
				texts := make([]string, len(pr.Choices))
				for i, c := range pr.Choices {
					texts[i] = c.Text
				}
				hint := didYouMean(a, texts)
				if hint == "" {
					hint = ` (choices: "` + strings.Join(texts, `", "`) + `")`
				}
				p.add(k.val.line, k.val.col, "answer %q is not one of the choices%s", a, hint)
			}
		}
	}
	if answerChoice >= 0 && pr.Judged() && pr.Choices[answerChoice].When == "" {
		k := fields["answer"]
		p.add(k.val.line, k.val.col, "answer %q has no when: condition while other choices do, so a run can never confirm it", pr.Answer)
	}
	return pr
}

// choices reads a list of choices: plain strings, or {text, when} mappings.
func (b *block) choices(k keyed, stepRuns int) []Choice {
	if k.val.kind != listNode {
		b.problems.add(k.val.line, k.val.col, "choices should be a list, such as [about 2x, about the same], found %s", k.val.kind)
		return nil
	}
	var out []Choice
	seen := map[string]bool{}
	for _, it := range k.val.items {
		var c Choice
		switch it.kind {
		case scalarNode:
			c.Text = it.text
		case mapNode:
			f := b.fields(it, "a choice", choiceKeys)
			t, ok := f["text"]
			if !ok {
				b.problems.add(it.line, it.col, "a choice written as a mapping needs text:")
				continue
			}
			c.Text, _ = b.str(t)
			if w, ok := f["when"]; ok {
				c.When, _ = b.str(w)
				c.cond = b.condition(w, stepRuns)
			}
		default:
			b.problems.add(it.line, it.col, "a choice should be text, or text: and when:, found %s", it.kind)
			continue
		}
		if strings.TrimSpace(c.Text) == "" {
			b.problems.add(it.line, it.col, "a choice needs some text")
			continue
		}
		if seen[c.Text] {
			b.problems.add(it.line, it.col, "choice %q is listed twice", c.Text)
		}
		seen[c.Text] = true
		out = append(out, c)
	}
	if len(out) == 1 {
		b.problems.add(k.val.line, k.val.col, "a prediction needs at least two choices")
	}
	return out
}

// condition parses a when: and checks the values it quotes exist in the step's runs.
func (b *block) condition(k keyed, stepRuns int) condition {
	if k.val.kind != scalarNode {
		return nil
	}
	c, err := parseCondition(k.val.text)
	if err != nil {
		var ce *condError
		if errors.As(err, &ce) {
			line, col := inside(k.val, ce.col)
			b.problems.add(line, col, "when: %s", ce.msg)
		}
		return nil
	}
	if stepRuns == 0 {
		b.problems.add(k.val.line, k.val.col, "when: a condition judges this step's run, but the step has no experiment block")
		return nil
	}
	return b.knownNames(k, c, stepRuns)
}
