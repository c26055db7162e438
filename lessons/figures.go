package lessons

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/coreography/coreography/internal/experiment"
)

// A figure typed into a lesson's prose goes stale: the machine that plays it measures
// something else, and the sentence then contradicts the screen beside it. check
// reports every figure a sentence quotes that is not filled from a measurement
// ({{…}}). What is not a measurement passes: what the step's experiment is told to do
// (its durations, the switch interval), code (`…`), and quotations (lines starting
// with >), where figures from the literature belong, with their source.

// figure matches a number with the unit of a measurement: a time, a ratio, a share,
// a size or a rate.
var figure = regexp.MustCompile(`(?i)\d[\d,]*(?:\.\d+)?\s?(?:seconds?|secs?|ns|µs|us|ms|s|×|x|%|percent|KB|MB|GB|times (?:a|per) second|times faster|times slower|/s)`)

// asFast matches the ratio kind a lesson should not use: "0.96× as fast".
var asFast = regexp.MustCompile(`(?i)(?:×|x|\}\})\s+as (?:fast|quick|slow)`)

// ratioWord matches a ratio placeholder followed by a fixed word for its direction,
// which a measured value below 1 would contradict: "{{faster_than_run1}} faster".
var ratioWord = regexp.MustCompile(`\{\{\s*((?:run[0-9]+\.)?(?:faster_than_run1|speedup))\s*\}\}\s+(?:faster|slower|quicker)`)

// checkFigures reports the unfilled figures and mixed ratio kinds of one line of
// prose at file line lineNo, whose text starts at column indent+1. inputs are the
// durations the step's experiment is told to run, which text may state.
func checkFigures(line string, lineNo, indent int, inputs map[string]bool, p *problems) {
	if strings.HasPrefix(strings.TrimSpace(line), ">") {
		return
	}
	prose := maskQuoted(line)
	cols := columns{s: line}
	for _, m := range figure.FindAllStringIndex(prose, -1) {
		if end := m[1]; end < len(prose) {
			if r, _ := utf8.DecodeRuneInString(prose[end:]); unicode.IsLetter(r) || unicode.IsDigit(r) {
				continue // a word that starts with a unit's letters: "3 sets", "2 xs"
			}
		}
		if start := m[0]; start > 0 {
			if r, _ := utf8.DecodeLastRuneInString(prose[:start]); unicode.IsLetter(r) || r == '.' || r == '_' {
				continue // inside a word or a version: "py3s", "3.11s"
			}
		}
		text := prose[m[0]:m[1]]
		if inputs[inputKey(text)] {
			continue // what the experiment is told to do, not what it measured
		}
		p.add(lineNo, indent+cols.at(m[0]), "%q is a figure typed into the text: quote it from a run ({{wall}}, {{run2.speedup}}…), put it in an if block on what was measured, or quote its source on a > line", text)
	}
	cols = columns{s: line}
	for _, m := range asFast.FindAllStringIndex(line, -1) {
		p.add(lineNo, indent+cols.at(m[0]), "say a ratio as \"N× faster\" or \"N× slower\" (quote {{vs_run1}} or {{vs_serial}}), never \"as fast\"")
	}
	cols = columns{s: line}
	for _, m := range ratioWord.FindAllStringSubmatchIndex(line, -1) {
		p.add(lineNo, indent+cols.at(m[0]), "{{%s}} followed by a fixed faster or slower is wrong when the ratio is below 1: quote {{%s}}, which says faster or slower as measured",
			line[m[2]:m[3]], strings.NewReplacer("faster_than_run1", "vs_run1", "speedup", "vs_serial").Replace(line[m[2]:m[3]]))
	}
}

// maskQuoted blanks code spans and {{…}} placeholders, keeping byte offsets.
func maskQuoted(line string) string {
	b := []byte(line)
	blank := func(from, to int) {
		for i := from; i < to && i < len(b); i++ {
			b[i] = ' '
		}
	}
	for _, m := range placeholder.FindAllStringIndex(line, -1) {
		blank(m[0], m[1])
	}
	for i := 0; i < len(b); i++ {
		if b[i] != '`' {
			continue
		}
		end := strings.IndexByte(string(b[i+1:]), '`')
		if end < 0 {
			break
		}
		blank(i, i+end+2)
		i += end + 1
	}
	return string(b)
}

// inputKey spells a figure as the notation would ("20 ms" and "20ms" are "20ms",
// "1 KB" is "1KB"), or "" when it is neither a duration nor a size.
func inputKey(text string) string {
	text = strings.ReplaceAll(strings.ReplaceAll(text, " ", ""), ",", "")
	if ts, err := experiment.ParseTasks("cpu(" + text + ")"); err == nil {
		return ts.String()
	}
	if ts, err := experiment.ParseTasks("cpu(1ms) in=" + text); err == nil {
		return ts.String()
	}
	return ""
}

// inputsOf is every duration and size an experiment is told to run: its steps,
// payloads, switch interval and cancel-after, and CPython's default switch interval.
func inputsOf(exp *Experiment) map[string]bool {
	in := map[string]bool{inputKey("5ms"): true}
	if exp == nil {
		return in
	}
	add := func(d time.Duration) { in[inputKey(strconv.FormatInt(int64(d), 10)+"ns")] = true }
	for _, s := range exp.Runs {
		add(s.SwitchInterval)
		add(s.CancelAfter)
		for _, g := range s.Tasks.Groups {
			for _, st := range g.Task.Steps {
				add(st.D)
			}
			for _, size := range []int64{g.Task.In, g.Task.Out} {
				in[inputKey(strconv.FormatInt(size, 10)+"B")] = true
			}
		}
	}
	delete(in, "")
	return in
}

// proseKeys are the keys of a block whose values are prose a learner reads.
var proseKeys = map[string][]string{
	"hint": nil, "notes": nil, // all prose
	"predict": {"explanation"}, "experiment": {"notice"}, "if": {"then", "else"},
}

// checkBlockFigures runs checkFigures over a block's prose: all of a hint or notes
// block, and the values of the keys proseKeys names (with their continuation lines).
func checkBlockFigures(f *fence, inputs map[string]bool, p *problems) {
	keys, ok := proseKeys[f.info]
	if !ok {
		return
	}
	inProse := keys == nil
	for i, line := range f.content {
		if keys != nil {
			if k, _, isKey := strings.Cut(line, ":"); isKey && k == strings.TrimSpace(k) && k != "" && !strings.ContainsAny(k, " -") {
				inProse = false
				for _, want := range keys {
					inProse = inProse || k == want
				}
				if inProse {
					checkFigures(strings.Repeat(" ", len(k)+1)+line[len(k)+1:], f.line+1+i, f.indent, inputs, p)
				}
				continue
			}
		}
		if inProse {
			checkFigures(line, f.line+1+i, f.indent, inputs, p)
		}
	}
}
