package timeline

import (
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// jsonScanner reads JSON a token at a time from a stream, for the trace importer: it
// keeps one string in a reused buffer and never builds a tree, so memory stays that of
// what the caller keeps. Strings and nesting are bounded so no file can make it grow.
//
// Why not encoding/json's streaming Decoder (Token, More, Decode): it does the same in
// bounded memory too, but it reads a replayed trace five to six times slower, every
// event an allocation or several, and replay waits for the import before its first
// frame. BenchmarkScannerAgainstEncodingJSON measures both; docs/performance.md has
// the figures.
type jsonScanner struct {
	r    io.Reader
	buf  []byte // read but not yet scanned: buf[pos:]
	pos  int
	eof  bool
	off  int64 // bytes consumed before buf, for error messages
	err  error
	fill []byte // backing array of buf

	// str is the last string or number read, valid until the next one. It usually
	// points into buf, uncopied (inBuf); more copies it into own before it refills
	// buf, so a key stays readable while the scanner reads on to its value.
	str   []byte
	inBuf bool
	own   []byte
}

const (
	maxJSONString = 64 << 10
	maxJSONDepth  = 64
)

func newJSONScanner(r io.Reader) *jsonScanner {
	return &jsonScanner{r: r, fill: make([]byte, 64<<10)}
}

func (s *jsonScanner) fail(format string, args ...any) {
	if s.err == nil {
		s.err = fmt.Errorf("byte %d: %s", s.off+int64(s.pos), fmt.Sprintf(format, args...))
	}
}

// more refills the buffer; false at the end of the input or on an error.
func (s *jsonScanner) more() bool {
	if s.pos < len(s.buf) {
		return true
	}
	if s.eof || s.err != nil {
		return false
	}
	if s.inBuf {
		s.own = append(s.own[:0], s.str...)
		s.str, s.inBuf = s.own, false
	}
	s.off += int64(s.pos)
	s.pos = 0
	for {
		n, err := s.r.Read(s.fill)
		s.buf = s.fill[:n]
		if err != nil {
			if !errors.Is(err, io.EOF) {
				s.err = err
			}
			s.eof = true
		}
		if n > 0 || s.eof {
			return n > 0
		}
	}
}

// readByte and peek are the decoder's innermost steps, so each handles its common
// case first: readByte's (a byte already in the buffer) is small enough to be inlined
// where it is called, and peek's (no white space, as the writer spells a trace) skips
// the loop (docs/performance.md has what that saved).
func (s *jsonScanner) readByte() byte {
	if s.pos < len(s.buf) {
		s.pos++
		return s.buf[s.pos-1]
	}
	return s.readByteMore()
}

func (s *jsonScanner) readByteMore() byte {
	if !s.more() {
		s.fail("unexpected end of file")
		return 0
	}
	c := s.buf[s.pos]
	s.pos++
	return c
}

// peek skips white space and returns the next byte without consuming it.
func (s *jsonScanner) peek() byte {
	if p := s.pos; p < len(s.buf) && s.buf[p] > ' ' {
		return s.buf[p]
	}
	return s.peekSpace()
}

func (s *jsonScanner) peekSpace() byte {
	for {
		for s.pos < len(s.buf) {
			switch c := s.buf[s.pos]; c {
			case ' ', '\t', '\n', '\r':
				s.pos++
			default:
				return c
			}
		}
		if !s.more() {
			s.fail("unexpected end of file")
			return 0
		}
	}
}

// expect consumes the byte want, the next but for white space.
func (s *jsonScanner) expect(want byte) bool {
	if p := s.pos; p < len(s.buf) && s.buf[p] == want {
		s.pos++
		return true
	}
	return s.expectSpace(want)
}

func (s *jsonScanner) expectSpace(want byte) bool {
	if c := s.peek(); c != want {
		if s.err == nil {
			s.fail("want %q, found %q", want, c)
		}
		return false
	}
	s.readByte()
	return true
}

// object calls fn with each key; fn must read the value. It returns false on error.
func (s *jsonScanner) object(fn func(key []byte)) bool {
	for more := s.open('{', '}'); more && s.err == nil; more = s.comma() || s.commaOr('}') {
		s.string()
		if !s.expect(':') {
			return false
		}
		fn(s.str) // not string's result: expect may have moved the key into own
	}
	return s.err == nil
}

// array calls fn for each element; fn must read it. It returns false on error.
func (s *jsonScanner) array(fn func()) bool {
	for more := s.open('[', ']'); more && s.err == nil; more = s.comma() || s.commaOr(']') {
		fn()
	}
	return s.err == nil
}

// open reads an object's or array's opening bracket and reports whether a member or
// element follows: false when it closes at once, or on error.
func (s *jsonScanner) open(opening, closing byte) bool {
	if !s.expect(opening) {
		return false
	}
	if s.peek() == closing {
		s.readByte()
		return false
	}
	return true
}

// comma consumes the comma between two members or elements where it stands right
// after the first, as the writer spells a trace: the common case, small enough to be
// inlined where it is called.
func (s *jsonScanner) comma() bool {
	if p := s.pos; p < len(s.buf) && s.buf[p] == ',' {
		s.pos++
		return true
	}
	return false
}

// commaOr reads what follows a member or element past white space: a comma (true:
// another follows) or the closing bracket (false, as on error).
func (s *jsonScanner) commaOr(closing byte) bool {
	switch c := s.peek(); c {
	case ',':
		s.readByte()
		return true
	case closing:
		s.readByte()
	default:
		in := "an array"
		if closing == '}' {
			in = "an object"
		}
		s.fail("want ',' or %q in %s, found %q", closing, in, c)
	}
	return false
}

// string reads a JSON string into s.str and returns it. Its common case, a string
// that ends in the buffer without an escape, is returned where it lies, uncopied.
// Bytes are not checked for UTF-8: only names are kept, and printable mends them.
func (s *jsonScanner) string() []byte {
	s.str, s.inBuf = s.own[:0], false
	if !s.expect('"') {
		return nil
	}
	buf := s.buf[s.pos:]
	for i := 0; i < len(buf); i++ {
		if c := buf[i]; c == '"' {
			s.str, s.inBuf = buf[:i:i], true
			s.pos += i + 1
			return s.str
		} else if c == '\\' || c < 0x20 {
			break
		}
	}
	return s.stringSlow()
}

// stringSlow reads the rest of a string that crosses the buffer's end or has escapes.
func (s *jsonScanner) stringSlow() []byte {
	for s.err == nil {
		// Copy the plain run up to the next quote or backslash in one go.
		if !s.more() {
			s.fail("unexpected end of file")
			return nil
		}
		buf := s.buf[s.pos:]
		i := 0
		for i < len(buf) && buf[i] != '"' && buf[i] != '\\' && buf[i] >= 0x20 {
			i++
		}
		s.str = append(s.str, buf[:i]...)
		s.pos += i
		if len(s.str) > maxJSONString {
			s.fail("a string longer than %d bytes", maxJSONString)
			return nil
		}
		if i == len(buf) {
			continue
		}
		c := s.readByte()
		switch {
		case c == '"':
			s.own = s.str
			return s.str
		case c == '\\':
			s.escape()
		case c < 0x20 && s.err == nil:
			s.fail("control character %#x in a string", c)
		case s.err == nil:
			s.str = append(s.str, c)
		}
	}
	return nil
}

func (s *jsonScanner) escape() {
	c := s.readByte()
	switch c {
	case '"', '\\', '/':
		s.str = append(s.str, c)
	case 'b':
		s.str = append(s.str, '\b')
	case 'f':
		s.str = append(s.str, '\f')
	case 'n':
		s.str = append(s.str, '\n')
	case 'r':
		s.str = append(s.str, '\r')
	case 't':
		s.str = append(s.str, '\t')
	case 'u':
		r := s.hex4()
		if r >= 0xD800 && r < 0xDC00 { // a surrogate pair's first half
			if s.readByte() == '\\' && s.readByte() == 'u' {
				lo := s.hex4()
				r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
				if lo < 0xDC00 || lo > 0xDFFF {
					r = utf8.RuneError
				}
			} else {
				s.fail("a lone surrogate in a string")
			}
		}
		s.str = utf8.AppendRune(s.str, r)
	default:
		if s.err == nil {
			s.fail("bad escape \\%c", c)
		}
	}
}

func (s *jsonScanner) hex4() rune {
	var r rune
	for range 4 {
		c := s.readByte()
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			s.fail("bad \\u escape")
			return utf8.RuneError
		}
	}
	return r
}
