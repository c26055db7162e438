package timeline

import (
	"math"
	"strconv"
)

// The scanner's numbers, the values it skips, and the end of the input.

// number reads a JSON number's text into s.str; like string, in place when it can.
func (s *jsonScanner) number() []byte {
	s.str, s.inBuf = s.own[:0], false
	s.peek()
	buf := s.buf[s.pos:]
	if i := numberLen(buf); i < len(buf) && i > 0 && i <= maxJSONNumber {
		s.str, s.inBuf = buf[:i:i], true
		s.pos += i
		return s.str
	}
	for s.more() {
		buf := s.buf[s.pos:]
		i := numberLen(buf)
		s.str = append(s.str, buf[:i]...)
		s.pos += i
		if len(s.str) > maxJSONNumber {
			s.fail("a number longer than %d characters", maxJSONNumber)
			return nil
		}
		if i < len(buf) {
			break
		}
	}
	s.own = s.str
	if len(s.str) == 0 {
		s.fail("want a number")
	}
	return s.str
}

const maxJSONNumber = 64

// numberLen is how many of b's first bytes can be part of a number.
func numberLen(b []byte) int {
	i := 0
	for i < len(b) && ('0' <= b[i] && b[i] <= '9' || b[i] == '-' || b[i] == '+' || b[i] == '.' || b[i] == 'e' || b[i] == 'E') {
		i++
	}
	return i
}

// skipNumber reads a number it need not know, checking only its spelling.
func (s *jsonScanner) skipNumber() {
	if b := s.number(); s.err == nil && !validJSONNumber(b) {
		s.fail("bad number %q", b)
	}
}

// int reads a number that must be a whole one within int64. Plain digits are parsed
// exactly; other spellings (1e3, 2.0) go through float64.
func (s *jsonScanner) int() int64 {
	return s.quantity(plainInt, func(f float64) (int64, bool) {
		return int64(f), f == math.Trunc(f) && math.Abs(f) < 1<<63
	}, "%q is not a whole number within int64")
}

// micros reads a number of microseconds as nanoseconds. The writer's own spelling
// (digits, up to three decimals) is parsed exactly; any other goes through float64.
func (s *jsonScanner) micros() int64 {
	return s.quantity(plainMicros, func(f float64) (int64, bool) {
		return int64(math.Round(f * 1e3)), !math.IsInf(f, 0) && math.Abs(f) <= maxImportMicros
	}, badMicros)
}

var badMicros = "time %q µs is not a number within ±" + strconv.FormatFloat(maxImportMicros, 'f', 0, 64) + " µs"

// quantity reads a number as plain parses it exactly or, spelled any other way, as
// fits makes of it through float64; bad is the refusal's format, given the number.
func (s *jsonScanner) quantity(plain func([]byte) (int64, bool), fits func(float64) (int64, bool), bad string) int64 {
	b := s.number()
	if s.err != nil {
		return 0
	}
	if n, ok := plain(b); ok {
		return n
	}
	if f, err := strconv.ParseFloat(string(b), 64); err == nil && validJSONNumber(b) {
		if n, ok := fits(f); ok {
			return n
		}
	}
	s.fail(bad, b)
	return 0
}

// maxImportMicros bounds any time in a trace file: far beyond a real run, far below overflow.
const maxImportMicros = 1e15

func plainInt(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || (b[0] == '0' && len(b) > 1) {
		return 0, false
	}
	if len(b) > 18 { // may overflow: let strconv say
		n, err := strconv.ParseInt(string(b), 10, 64)
		if neg {
			n = -n
		}
		return n, err == nil
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

func plainMicros(b []byte) (int64, bool) {
	whole, frac := b, []byte(nil)
	for i, c := range b {
		if c == '.' {
			whole, frac = b[:i], b[i+1:]
			break
		}
	}
	if len(whole) > 13 || len(frac) > 3 || frac != nil && len(frac) == 0 {
		return 0, false
	}
	n, ok := plainInt(whole)
	if !ok {
		return 0, false
	}
	var f int64
	for i := range 3 {
		f *= 10
		if i < len(frac) {
			if frac[i] < '0' || frac[i] > '9' {
				return 0, false
			}
			f += int64(frac[i] - '0')
		}
	}
	if whole[0] == '-' {
		return n*1000 - f, true
	}
	return n*1000 + f, true
}

// validJSONNumber checks JSON's grammar, stricter than ParseFloat (no "inf", "0x1p3", "_").
func validJSONNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	digits := func() int {
		j := i
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		return i - j
	}
	if n := digits(); n == 0 || n > 1 && b[i-n] == '0' {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(b)
}

// skip reads and drops any value, bounded in depth.
func (s *jsonScanner) skip(depth int) {
	if depth > maxJSONDepth {
		s.fail("nested deeper than %d", maxJSONDepth)
		return
	}
	switch c := s.peek(); {
	case c == '{':
		s.object(func([]byte) { s.skip(depth + 1) })
	case c == '[':
		s.array(func() { s.skip(depth + 1) })
	case c == '"':
		s.string()
	case c == '-' || '0' <= c && c <= '9':
		s.skipNumber()
	case c == 't':
		s.literal("true")
	case c == 'f':
		s.literal("false")
	case c == 'n':
		s.literal("null")
	case s.err == nil:
		s.fail("unexpected %q", c)
	}
}

func (s *jsonScanner) literal(word string) {
	for i := range len(word) {
		if c := s.readByte(); c != word[i] {
			if s.err == nil {
				s.fail("want %q", word)
			}
			return
		}
	}
}

// end checks that only white space follows the top-level value.
func (s *jsonScanner) end() {
	for s.err == nil && s.more() {
		switch c := s.buf[s.pos]; c {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			s.fail("%q after the end of the trace", c)
		}
	}
}
