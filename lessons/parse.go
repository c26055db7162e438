package lessons

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/coreography/coreography/internal/termsafe"
)

// frontMatterKeys are the keys a lesson's front matter may have.
var frontMatterKeys = []string{"id", "title", "minutes", "summary", "level", "tags"}

var validID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// MaxMinutes bounds a lesson's planned length: a lesson longer than a lecture should be two.
const MaxMinutes = 240

// parsed is a lesson with what the checker needs beyond it.
type parsed struct {
	lesson        *Lesson
	idLine, idCol int
}

// Parse reads a lesson script; name is the file it came from, used in errors and as
// Lesson.Path. It reports every problem it finds as an *Error (file:line:col: message),
// in file order; the lesson is only fit to play when there are none. Whatever the
// bytes, it does not panic.
func Parse(name string, src []byte) (*Lesson, []error) {
	pl, errs := parse(name, src)
	return pl.lesson, errs
}

func parse(name string, src []byte) (parsed, []error) {
	p := &problems{file: name}
	l := &Lesson{Path: name}
	out := parsed{lesson: l}
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	if !utf8.Valid(src) {
		line, col := invalidUTF8At(src)
		p.add(line, col, "not UTF-8 text: a lesson is a UTF-8 Markdown file")
		return out, p.sorted()
	}
	lines := strings.Split(string(src), "\n")
	for i, line := range lines {
		lines[i] = refuseControls(strings.TrimSuffix(line, "\r"), i+1, p)
	}
	if len(lines) == 0 || strings.TrimRight(lines[0], " \t") != "---" {
		p.add(1, 1, "a lesson starts with front matter: a line ---, then id:, title:, minutes: and summary:, then ---")
		return out, p.sorted()
	}
	end := -1
	for i := 1; i < len(lines); i++ {
		if t := strings.TrimRight(lines[i], " \t"); t == "---" || t == "..." {
			end = i
			break
		}
	}
	if end < 0 {
		p.add(1, 1, "the front matter opened here is never closed by a --- line")
		return out, p.sorted()
	}
	fm := &block{src: strings.Join(lines[1:end], "\n"), line: 2, col: 1, fenceLine: 1, name: "front matter", problems: p}
	out.idLine, out.idCol = readFrontMatter(l, fm)
	readSteps(l, scanBody(lines[end+1:], end+2, p), end+1, p)
	return out, p.sorted()
}

// refuseControls reports every control character of a line (escape sequences that
// would set a terminal's title, write its clipboard or clear it) and returns the line
// with each replaced by U+FFFD, so nothing after, message or text, carries one.
func refuseControls(line string, lineNo int, p *problems) string {
	found := false
	termsafe.Find(line, func(_, col int, r rune) {
		found = true
		p.add(lineNo, col, "control character %U: a lesson holds text, newlines and tabs only (escape sequences could drive the learner's terminal)", r)
	})
	if !found {
		return line
	}
	return termsafe.Strip(line)
}

// invalidUTF8At is the line and column of the first byte that is not UTF-8.
func invalidUTF8At(src []byte) (int, int) {
	line, col := 1, 1
	for len(src) > 0 {
		r, size := utf8.DecodeRune(src)
		if r == utf8.RuneError && size <= 1 {
			break
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		src = src[size:]
	}
	return line, col
}

// readFrontMatter fills the lesson's id, title, minutes, summary, level and tags, and
// returns where the id was written (for duplicate-id errors).
func readFrontMatter(l *Lesson, b *block) (int, int) {
	n := b.parse()
	if n == nil {
		return 1, 1
	}
	f := b.fields(n, "the front matter", frontMatterKeys)
	idLine, idCol := 1, 1
	if k, ok := f["id"]; ok {
		idLine, idCol = k.val.line, k.val.col
		if s, ok := b.str(k); ok {
			if !validID.MatchString(s) {
				b.problems.add(k.val.line, k.val.col, "id %q should be lower-case letters, digits and dashes, such as my-lesson", s)
			}
			l.ID = s
		}
	}
	readKey(f, "title", b.str, &l.Title)
	readKey(f, "summary", b.str, &l.Summary)
	readKey(f, "level", b.str, &l.Level)
	if k, ok := f["minutes"]; ok {
		if m, ok := b.integer(k); ok {
			if m < 1 || m > MaxMinutes {
				b.problems.add(k.val.line, k.val.col, "minutes should be 1 to %d, got %d", MaxMinutes, m)
			}
			l.Minutes = m
		}
	}
	if k, ok := f["tags"]; ok {
		l.Tags = b.strList(k)
	}
	for _, req := range []string{"id", "title", "minutes", "summary"} {
		if k, ok := f[req]; !ok || (k.val.kind == scalarNode && strings.TrimSpace(k.val.text) == "") {
			if ok {
				b.problems.add(k.line, k.col, "%s: missing value", req)
			} else if n.kind == mapNode || n.kind == nullNode {
				b.problems.add(1, 1, "the front matter needs %s:", req)
			}
		}
	}
	return idLine, idCol
}

// readSteps splits the body's items into steps at each separator and reads each.
func readSteps(l *Lesson, items []item, firstSeparator int, p *problems) {
	sepLine := firstSeparator
	var cur []item
	runs := 0 // runs of the latest experiment so far: what {{…}} may quote
	flush := func() {
		st, ok := readStep(cur, sepLine, &runs, p)
		if ok {
			st.dropTitleHeading(l.Title)
			l.Steps = append(l.Steps, st)
		}
	}
	for _, it := range items {
		if it.kind == itemSeparator {
			flush()
			cur, sepLine = nil, it.line
			continue
		}
		cur = append(cur, it)
	}
	flush()
}

// readStep reads one step; runs carries the latest experiment's run count from step to step.
func readStep(items []item, sepLine int, runs *int, p *problems) (Step, bool) {
	st := Step{Line: sepLine + 1}
	found := false
	for _, it := range items {
		if it.kind == itemBlock || strings.TrimSpace(it.text) != "" {
			st.Line, found = it.line, true
			break
		}
	}
	if !found {
		p.add(sepLine, 1, "empty step: write something after this --- line, or remove it")
		return st, false
	}
	// Blocks first: the experiment decides what the text and the prediction may quote.
	predFence, inline := readBlocks(items, &st, runs, p)
	if predFence != nil {
		stepRuns := 0
		if st.Experiment != nil {
			stepRuns = len(st.Experiment.Runs)
		}
		st.Predict = readPredict(predFence, stepRuns, *runs, p)
		checkBaseline(st, predFence.line, predFence.indent+1, p)
	}
	st.Text, st.ExperimentAt = stepText(items, inline)
	inputs := inputsOf(st.Experiment)
	for _, it := range items {
		switch {
		case it.kind == itemText:
			checkPlaceholders(it.text, it.line, 0, *runs, p)
			if !it.inCode {
				checkFigures(it.text, it.line, 0, inputs, p)
			}
		case it.kind == itemBlock:
			checkBlockFigures(it.fence, inputs, p)
		}
	}
	return st, true
}

// readBlocks reads a step's fenced blocks into st: its experiment (which sets runs,
// what later text may quote), hints, notes and if blocks. It returns the prediction's
// fence, read once the step's runs are known, and each if block's text by its fence.
func readBlocks(items []item, st *Step, runs *int, p *problems) (predFence *fence, inline map[*fence]string) {
	var expFence *fence
	inline = map[*fence]string{}
	for _, it := range items {
		if it.kind != itemBlock {
			continue
		}
		switch f := it.fence; f.info {
		case "experiment":
			if expFence != nil {
				p.add(f.line, f.indent+1, "a step runs one experiment (the first is at line %d): start a new step with ---, or use compare: to run several side by side", expFence.line)
				continue
			}
			expFence = f
			st.Experiment = readExperiment(f, p)
			if st.Experiment != nil {
				*runs = len(st.Experiment.Runs)
			}
		case "predict":
			if predFence != nil {
				p.add(f.line, f.indent+1, "a step asks one prediction (the first is at line %d): start a new step with ---", predFence.line)
				continue
			}
			predFence = f
		case "hint":
			if hint, ok := readProse(f, "empty hint block", *runs, p); ok {
				st.Hints = append(st.Hints, hint)
			}
		case "notes":
			if note, ok := readProse(f, "empty notes block: write what the presenter should say, or remove it", *runs, p); ok {
				st.Notes = append(st.Notes, note)
			}
		case "if":
			inline[f] = readIf(f, *runs, st, p)
		}
	}
	return predFence, inline
}

// readProse reads a block of Markdown (a hint, the presenter's notes): its text, with
// its placeholders checked, or false and the problem empty when it has none.
func readProse(f *fence, empty string, runs int, p *problems) (string, bool) {
	text := strings.TrimSpace(strings.Join(f.content, "\n"))
	if text == "" {
		p.add(f.line, f.indent+1, "%s", empty)
		return "", false
	}
	for i, line := range f.content {
		checkPlaceholders(line, f.line+1+i, f.indent, runs, p)
	}
	return text, true
}

// checkPlaceholders reports {{names}} in a line that no run measures or that quote a
// run that has not happened.
func checkPlaceholders(line string, lineNo, indent, runs int, p *problems) {
	placeholders(line, func(name string, col int) {
		if msg := checkName(name, runs); msg != "" {
			p.add(lineNo, indent+col, "%s", msg)
		}
	})
}

// stepText joins a step's text lines, without its blocks, the blank lines around it
// and doubled blank lines where a block was taken out; an if block stays as a
// paragraph of its own, in its inline form. It also returns the offset where the
// experiment block stood.
func stepText(items []item, inline map[*fence]string) (string, int) {
	var b strings.Builder
	at := -1
	blank := true // at the start, blank lines are dropped
	pendingBlank := false
	for _, it := range items {
		switch {
		case it.kind == itemBlock && inline[it.fence] != "":
			if b.Len() > 0 {
				b.WriteString("\n\n")
			}
			b.WriteString(inline[it.fence])
			pendingBlank, blank = true, false
		case it.kind == itemBlock:
			if it.fence.info == "experiment" && at < 0 {
				at = b.Len()
			}
		case it.kind == itemText && !it.inCode && strings.TrimSpace(it.text) == "":
			if !blank {
				pendingBlank = true
			}
		case it.kind == itemText:
			if b.Len() > 0 {
				b.WriteByte('\n')
				if pendingBlank {
					b.WriteByte('\n')
				}
			}
			pendingBlank, blank = false, false
			b.WriteString(it.text)
		}
	}
	text := b.String()
	if at < 0 || at > len(text) {
		at = len(text)
	}
	return text, at
}
