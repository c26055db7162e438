package timeline

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
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

// TestScannerSeparators: between members and elements a comma or the closing bracket,
// with or without white space around it; anything else is named with the bracket the
// container wanted.
func TestScannerSeparators(t *testing.T) {
	for value, want := range map[string]string{
		`{"a":1,"b":[1,2]}`:                "",
		"{ \"a\" : 1 ,\n\"b\":[ 1 , 2 ] }": "",
		`{"a":1 2}`:                        `want ',' or '}' in an object, found '2'`,
		`[1 }`:                             `want ',' or ']' in an array, found '}'`,
		`[1,2`:                             "unexpected end of file",
	} {
		s := newJSONScanner(strings.NewReader(value))
		s.skip(0)
		s.end()
		if got := fmt.Sprint(s.err); (want == "") != (s.err == nil) || !strings.Contains(got, want) {
			t.Errorf("skip(%q): error %v, want %q", value, s.err, want)
		}
	}
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

// BenchmarkScannerAgainstEncodingJSON is why the importer keeps its own scanner
// rather than encoding/json's streaming Decoder: on the 200,000-event trace, the
// whole import (ReadChrome) beside encoding/json only decoding the same events
// (Token and More over the arrays, Decode of each event into its fields, nothing
// kept). docs/performance.md has the figures.
func BenchmarkScannerAgainstEncodingJSON(b *testing.B) {
	data, err := MarshalChrome(issueTrace())
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		read func([]byte) error
	}{
		{"scanner-whole-import", func(data []byte) error { _, err := ReadChrome(bytes.NewReader(data)); return err }},
		{"encoding-json-events-only", decodeEventsWithEncodingJSON},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			cpu0 := processCPUNow()
			for b.Loop() {
				if err := c.read(data); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(processCPUNow()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
		})
	}
}

// decodeEventsWithEncodingJSON reads a trace's events as an importer built on
// encoding/json's streaming Decoder would: Token and More walk the top-level object
// and traceEvents, each event is decoded whole into the fields import reads, and
// every other value is skipped through a reused RawMessage.
func decodeEventsWithEncodingJSON(data []byte) error {
	dec := json.NewDecoder(bufio.NewReaderSize(bytes.NewReader(data), 64<<10))
	if _, err := dec.Token(); err != nil { // {
		return err
	}
	var ev stdEvent
	var raw json.RawMessage
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return err
		}
		if key != "traceEvents" {
			if err := dec.Decode(&raw); err != nil {
				return err
			}
			continue
		}
		if _, err := dec.Token(); err != nil { // [
			return err
		}
		for dec.More() {
			ev = stdEvent{}
			if err := dec.Decode(&ev); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil { // ]
			return err
		}
	}
	_, err := dec.Token() // }
	return err
}

// stdEvent is what import reads of an event, for encoding/json; numbers keep their
// text (json.Number) so microseconds could be read exactly, as the scanner does.
type stdEvent struct {
	Name string      `json:"name"`
	Ph   string      `json:"ph"`
	Pid  json.Number `json:"pid"`
	Tid  json.Number `json:"tid"`
	Ts   json.Number `json:"ts"`
	Dur  json.Number `json:"dur"`
	Args struct {
		Name    *string     `json:"name"`
		Task    json.Number `json:"task"`
		CPU     json.Number `json:"cpu"`
		PID     json.Number `json:"pid"`
		TID     json.Number `json:"tid"`
		CPUTime json.Number `json:"cpu_time_ns"`
	} `json:"args"`
}
