package lessons

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// condition is a parsed `when:`: comparisons that must all hold, as in
// "speedup < 1.3 and wall > 200ms".
type condition []comparison

type comparison struct {
	left, right operand
	op          string
}

// operand is a measured value by name, or a number.
type operand struct {
	name string
	num  float64
	col  int // where it starts in the condition, from 1
}

// condError is a problem at a column of a condition.
type condError struct {
	col int
	msg string
}

func (e *condError) Error() string { return fmt.Sprintf("col %d: %s", e.col, e.msg) }

// holds reports whether every comparison holds for the measured values; a value that
// was not measured makes its comparison false.
func (c condition) holds(values map[string]float64) bool {
	for _, cmp := range c {
		l, lok := cmp.left.value(values)
		r, rok := cmp.right.value(values)
		if !lok || !rok {
			return false
		}
		var ok bool
		switch cmp.op {
		case "<":
			ok = l < r
		case "<=":
			ok = l <= r
		case ">":
			ok = l > r
		case ">=":
			ok = l >= r
		case "==":
			ok = l == r
		}
		if !ok {
			return false
		}
	}
	return len(c) > 0
}

func (o operand) value(values map[string]float64) (float64, bool) {
	if o.name == "" {
		return o.num, true
	}
	return lookup(values, o.name)
}

// names calls fn for every measured value the condition reads.
func (c condition) names(fn func(name string, col int)) {
	for _, cmp := range c {
		for _, o := range []operand{cmp.left, cmp.right} {
			if o.name != "" {
				fn(o.name, o.col)
			}
		}
	}
}

// numberUnits turn a number in a condition into the unit its value is measured in:
// durations are seconds (wall < 200ms), ratios may carry an × (speedup > 1.4x).
var numberUnits = map[string]float64{"": 1, "s": 1, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "x": 1, "×": 1}

// parseCondition reads comparisons joined by "and": operand op operand, where an
// operand is a measured value's name or a number, and op is <, <=, >, >= or ==.
func parseCondition(src string) (condition, error) {
	s := &condScanner{src: []rune(src)}
	var c condition
	for {
		s.space()
		left, err := s.operand()
		if err != nil {
			return nil, err
		}
		s.space()
		op := s.op()
		if op == "" {
			return nil, s.fail("expected <, <=, >, >= or == after %s, found %s", left.spell(s), s.found())
		}
		s.space()
		right, err := s.operand()
		if err != nil {
			return nil, err
		}
		if left.name == "" && right.name == "" {
			return nil, &condError{left.col, "compare a measured value such as speedup, not two numbers"}
		}
		c = append(c, comparison{left, right, op})
		s.space()
		if s.pos == len(s.src) {
			return c, nil
		}
		start := s.pos
		if w := s.word(); w != "and" {
			s.pos = start
			if w == "or" {
				return nil, s.fail(`"or" is not supported: give each case its own choice`)
			}
			return nil, s.fail(`expected "and" or the end, found %s`, s.found())
		}
	}
}

type condScanner struct {
	src []rune
	pos int
}

func (s *condScanner) fail(format string, args ...any) error {
	return &condError{s.pos + 1, fmt.Sprintf(format, args...)}
}

func (s *condScanner) space() {
	for s.pos < len(s.src) && unicode.IsSpace(s.src[s.pos]) {
		s.pos++
	}
}

func (s *condScanner) found() string {
	if s.pos >= len(s.src) {
		return "the end"
	}
	end := s.pos + 1
	for end < len(s.src) && end-s.pos < 12 && !unicode.IsSpace(s.src[end]) {
		end++
	}
	return strconv.Quote(string(s.src[s.pos:end]))
}

func isNameRune(r rune) bool {
	return r == '_' || r == '.' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

func (s *condScanner) word() string {
	start := s.pos
	for s.pos < len(s.src) && isNameRune(s.src[s.pos]) {
		s.pos++
	}
	return string(s.src[start:s.pos])
}

func (s *condScanner) operand() (operand, error) {
	o := operand{col: s.pos + 1}
	if s.pos >= len(s.src) {
		return o, s.fail("expected a measured value such as speedup, or a number, found the end")
	}
	r := s.src[s.pos]
	switch {
	case r >= '0' && r <= '9' || r == '.' || r == '-':
		start := s.pos
		s.pos++
		for s.pos < len(s.src) && (s.src[s.pos] >= '0' && s.src[s.pos] <= '9' || s.src[s.pos] == '.') {
			s.pos++
		}
		f, err := strconv.ParseFloat(string(s.src[start:s.pos]), 64)
		if err != nil {
			s.pos = start
			return o, s.fail("expected a number, found %s", s.found())
		}
		unitAt := s.pos
		for s.pos < len(s.src) && (unicode.IsLetter(s.src[s.pos]) || s.src[s.pos] == '×') {
			s.pos++
		}
		unit := string(s.src[unitAt:s.pos])
		scale, ok := numberUnits[unit]
		if !ok {
			s.pos = unitAt
			return o, s.fail("unknown unit %q after %g: use s, ms or us for times, x for ratios, or none", unit, f)
		}
		o.num = f * scale
	case r == '_' || unicode.IsLetter(r):
		o.name = s.word()
		if o.name == "and" || o.name == "or" {
			s.pos -= len(o.name)
			return o, s.fail("expected a measured value such as speedup, found %q", o.name)
		}
	default:
		return o, s.fail("expected a measured value such as speedup, or a number, found %s", s.found())
	}
	return o, nil
}

func (o operand) spell(s *condScanner) string {
	if o.name != "" {
		return o.name
	}
	return strconv.FormatFloat(o.num, 'g', -1, 64)
}

func (s *condScanner) op() string {
	for _, op := range []string{"<=", ">=", "==", "<", ">"} {
		if strings.HasPrefix(string(s.src[s.pos:]), op) {
			s.pos += len(op)
			return op
		}
	}
	return ""
}
