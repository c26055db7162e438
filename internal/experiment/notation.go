package experiment

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// NotationError says where a task notation went wrong. Col counts runes from 1.
type NotationError struct {
	Col int
	Msg string
}

func (e *NotationError) Error() string { return fmt.Sprintf("col %d: %s", e.Col, e.Msg) }

// ParseTasks reads the task notation:
//
//	8*cpu(100ms)                       eight CPU-bound tasks
//	50*http(50ms)                      fifty fetches from a slow loopback server
//	4*[io(20ms) cpu(5ms) io(20ms)]     a task made of several steps
//	100*cpu(10ms) in=1MB out=1KB       payloads sent to and from a worker process
//	8*cpu(100ms), 2*io(1s)             several groups
//	cpu(200ms) then 16*cpu(100ms)      phases: the second starts when the first is done
//	4*cpu(10ms), [cpu(20ms) fail]      a task that raises: it ends as failed
//	2*add(1000000)                     increments of one shared counter, no lock
//	2*add(1000000, lock)               … with a lock (or call, or shared: see Sync)
//	2*hash(100ms)                      C code that lets the GIL go while it computes
//
// Durations take ns, us (or µs), ms and s; sizes take B, KB, MB and GB (powers of 1024).
func ParseTasks(src string) (Tasks, error) {
	p := &parser{src: []rune(src)}
	ts, err := p.tasks()
	if err != nil {
		return Tasks{}, err
	}
	if n := ts.Count(); n > MaxTasks {
		return Tasks{}, &NotationError{Col: 1, Msg: fmt.Sprintf("%d tasks is more than the limit of %d", n, MaxTasks)}
	}
	return ts, nil
}

type parser struct {
	src []rune
	pos int
}

func (p *parser) fail(format string, args ...any) error {
	return &NotationError{Col: p.pos + 1, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) space() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t') {
		p.pos++
	}
}

func (p *parser) peek() rune {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

// found describes what is at the cursor, for error messages.
func (p *parser) found() string {
	if p.pos >= len(p.src) {
		return "the end"
	}
	end := p.pos
	for end < len(p.src) && end-p.pos < 12 && !strings.ContainsRune(" ,()[]*=", p.src[end]) {
		end++
	}
	if end == p.pos {
		end++
	}
	return strconv.Quote(string(p.src[p.pos:end]))
}

func (p *parser) tasks() (Tasks, error) {
	var ts Tasks
	phase := 0
	for {
		p.space()
		g, err := p.group()
		if err != nil {
			return Tasks{}, err
		}
		g.Phase = phase
		ts.Groups = append(ts.Groups, g)
		p.space()
		switch p.peek() {
		case ',':
			p.pos++
		case 0:
			return ts, nil
		default:
			if !p.keyword("then") {
				return Tasks{}, p.fail("expected \",\" or the end after a task (or \"then\" before the next phase), found %s", p.found())
			}
			phase++
		}
	}
}

// keyword consumes word w when it is next, as a whole word.
func (p *parser) keyword(w string) bool {
	save := p.pos
	if p.word() == w {
		return true
	}
	p.pos = save
	return false
}

func (p *parser) group() (Group, error) {
	g := Group{Count: 1}
	if isDigit(p.peek()) {
		start := p.pos
		n, err := p.integer()
		if err != nil {
			return g, err
		}
		p.space()
		if p.peek() != '*' {
			return g, p.fail("expected \"*\" after the count %d, as in %d*cpu(10ms)", n, n)
		}
		if n < 1 || n > MaxTasks {
			p.pos = start
			return g, p.fail("count must be 1 to %d, got %d", MaxTasks, n)
		}
		p.pos++
		p.space()
		g.Count = n
	}
	if p.peek() == '[' {
		p.pos++
		for {
			p.space()
			if p.peek() == ']' {
				if len(g.Task.Steps) == 0 {
					return g, p.fail("expected a step such as cpu(10ms) inside [ ]")
				}
				p.pos++
				break
			}
			if p.peek() == 0 {
				return g, p.fail("expected \"]\" to close the task")
			}
			s, err := p.step()
			if err != nil {
				return g, err
			}
			g.Task.Steps = append(g.Task.Steps, s)
		}
	} else {
		s, err := p.step()
		if err != nil {
			return g, err
		}
		g.Task.Steps = []Step{s}
	}
	return g, p.payloads(&g.Task)
}

func (p *parser) payloads(t *Task) error {
	for {
		save := p.pos
		p.space()
		word := p.word()
		if word != "in" && word != "out" {
			p.pos = save
			return nil
		}
		if p.peek() != '=' {
			return p.fail("expected \"=\" after %q, as in %s=1KB", word, word)
		}
		p.pos++
		size, err := p.size()
		if err != nil {
			return err
		}
		if word == "in" {
			t.In = size
		} else {
			t.Out = size
		}
	}
}

func (p *parser) step() (Step, error) {
	start := p.pos
	var s Step
	kind := slices.Index(kindNames[:], p.word())
	switch s.Kind = Kind(kind); {
	case kind < 0:
		p.pos = start
		return s, p.fail("expected a step cpu(…), io(…), http(…), hash(…), fail or add(…), found %s", p.found())
	case s.Kind == Fail:
		return s, nil
	case s.Kind == Add:
		return s, p.addArgs(&s)
	}
	if p.peek() != '(' {
		return s, p.fail("expected \"(\" after %s, as in %s(10ms)", s.Kind, s.Kind)
	}
	p.pos++
	p.space()
	d, err := p.duration()
	if err != nil {
		return s, err
	}
	p.space()
	if p.peek() != ')' {
		return s, p.fail("expected \")\" after the duration, found %s", p.found())
	}
	p.pos++
	s.D = d
	return s, nil
}

func (p *parser) word() string {
	start := p.pos
	for p.pos < len(p.src) && (p.src[p.pos] >= 'a' && p.src[p.pos] <= 'z' || p.src[p.pos] >= 'A' && p.src[p.pos] <= 'Z' || p.src[p.pos] == 'µ') {
		p.pos++
	}
	return strings.ToLower(string(p.src[start:p.pos]))
}

func (p *parser) integer() (int, error) {
	start := p.pos
	for isDigit(p.peek()) {
		p.pos++
	}
	n, err := strconv.Atoi(string(p.src[start:p.pos]))
	if err != nil {
		p.pos = start
		return 0, p.fail("number %s is too large", p.found())
	}
	return n, nil
}

// number reads a decimal such as 1, 2.5 or .5.
func (p *parser) number() (float64, bool) {
	start := p.pos
	for isDigit(p.peek()) || p.peek() == '.' {
		p.pos++
	}
	f, err := strconv.ParseFloat(string(p.src[start:p.pos]), 64)
	if err != nil || f < 0 {
		p.pos = start
		return 0, false
	}
	return f, true
}

var (
	durationUnits = map[string]float64{"ns": 1, "us": 1e3, "µs": 1e3, "ms": 1e6, "s": 1e9}
	sizeUnits     = map[string]float64{"b": 1, "kb": 1 << 10, "mb": 1 << 20, "gb": 1 << 30}
)

// MaxPayload bounds one payload (and one frame's): enough to make copying hurt, not
// enough to hurt the machine. See limits.go for the totals.
const MaxPayload = 64 << 20

func (p *parser) duration() (time.Duration, error) {
	ns, err := p.quantity(durationUnits, "a duration such as 100ms", "ns, us, ms or s", "a step", float64(MaxPlannedWork), MaxPlannedWork.String())
	return time.Duration(ns), err
}

func (p *parser) size() (int64, error) {
	n, err := p.quantity(sizeUnits, "a size such as 1KB", "B, KB, MB or GB", "a payload", MaxPayload, FormatSize(MaxPayload, Exact))
	return int64(n), err
}

// quantity reads a number and its unit, as in 1.5ms or 10MB, in the units' base
// (ns, bytes), refusing more than limit with an error at the number's column.
func (p *parser) quantity(units map[string]float64, example, unitNames, what string, limit float64, limitText string) (float64, error) {
	start := p.pos
	f, ok := p.number()
	if !ok {
		return 0, p.fail("expected %s, found %s", example, p.found())
	}
	unitAt := p.pos
	unit, known := units[p.word()] // word lowercases
	if !known {
		p.pos = unitAt
		return 0, p.fail("expected a unit %s after %g, found %s", unitNames, f, p.found())
	}
	if v := f * unit; v > limit {
		text := string(p.src[start:p.pos])
		p.pos = start
		return 0, p.fail("%s of %s is more than the %s limit", what, text, limitText)
	}
	return f * unit, nil
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }
