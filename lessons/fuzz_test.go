package lessons

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/coreography/coreography/assets"
)

// FuzzParse feeds arbitrary bytes to the parser: it must never panic, and every
// problem must be an *Error with a position inside the file.
func FuzzParse(f *testing.F) {
	f.Add([]byte(front + goodBody))
	f.Add([]byte(front + "```experiment\nmodel: gil\ntasks: 4*cpu(5ms)\ncompare:\n  - model: threads\n```\n"))
	f.Add([]byte(front + "```predict\nquestion: q\nchoices:\n  - {text: a, when: speedup < 1 and wall > 2ms}\n  - b\nanswer: a\n```\n"))
	f.Add([]byte("---\n---\n---\n```\n"))
	f.Add([]byte("\uFEFF---\r\nid: x\r\n---\r\n{{run99.wall}}\r\n"))
	f.Add([]byte(front + "```experiment\n&a [*a, !!x y]\n```\n"))
	names, _ := fs.Glob(assets.Lessons, "lessons/*.md")
	for _, n := range names {
		src, _ := assets.Lessons.ReadFile(n)
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		var errs []error
		done := make(chan struct{})
		go func() { _, errs = Parse("f.md", src); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("Parse did not return within 10s for %q", src)
		}
		lines := strings.Count(string(src), "\n") + 1
		for _, err := range errs {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("%T is not an *Error: %v", err, err)
			}
			if e.Line < 1 || e.Line > lines || e.Col < 1 {
				t.Fatalf("position %d:%d outside a file of %d lines: %v", e.Line, e.Col, lines, err)
			}
		}
	})
}
