package timeline

import (
	"encoding/json"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

// FuzzScannerSkipsWhatJSONAccepts: skip, which reads every value the importer does not
// keep, accepts exactly the text encoding/json calls valid, apart from the scanner's
// own bounds (nesting, string and number lengths) and UTF-8, which it leaves to
// printable. Read a byte at a time too, so every token crosses a refill.
func FuzzScannerSkipsWhatJSONAccepts(f *testing.F) {
	for _, s := range []string{`1`, `"a\"b\u00e9"`, `[1,{"a":[true,false,null]},-2.5e3]`, `{}`, `[]`, `{"a":}`, `[1,]`,
		`{"a":1,}`, `01`, `1.`, `"\x"`, `tru`, `[[[]]]`, `{"a":{"b":{}}}`, `"` + "\x01" + `"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, value string) {
		if !utf8.ValidString(value) || len(value) > 4096 || strings.Count(value, "[")+strings.Count(value, "{") >= maxJSONDepth-2 ||
			longestNumberRun(value) > maxJSONNumber {
			return
		}
		for _, oneByte := range []bool{false, true} {
			var r io.Reader = strings.NewReader(value)
			if oneByte {
				r = iotest.OneByteReader(r)
			}
			s := newJSONScanner(r)
			s.skip(0)
			s.end()
			if want := json.Valid([]byte(value)); (s.err == nil) != want {
				t.Fatalf("skip(%q): error %v, but json.Valid says %v", value, s.err, want)
			}
		}
	})
}

// longestNumberRun is the longest run of bytes that could be part of a number.
func longestNumberRun(s string) int {
	longest, run := 0, 0
	for i := range len(s) {
		if run = run + 1; numberLen([]byte{s[i]}) == 0 {
			run = 0
		}
		longest = max(longest, run)
	}
	return longest
}
