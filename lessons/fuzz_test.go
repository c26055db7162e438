package lessons

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/coreography/coreography/assets"
	"github.com/coreography/coreography/internal/termsafe"
)

// requireNoControls fails when a lesson fit to play carries a control character in
// any text a player shows.
func requireNoControls(t *testing.T, l *Lesson) {
	t.Helper()
	texts := []string{l.ID, l.Title, l.Summary, l.Level}
	texts = append(texts, l.Tags...)
	for _, s := range l.Steps {
		texts = append(texts, s.Text)
		texts = append(texts, s.Hints...)
		if s.Experiment != nil {
			texts = append(texts, s.Experiment.Notice)
			for _, r := range s.Experiment.Runs {
				texts = append(texts, r.Name)
			}
		}
		if p := s.Predict; p != nil {
			texts = append(texts, p.Question, p.Answer, p.Explanation)
			for _, c := range p.Choices {
				texts = append(texts, c.Text, c.When)
			}
		}
	}
	for _, s := range texts {
		for _, r := range s {
			if termsafe.IsControl(r) {
				t.Fatalf("a lesson with no problems holds control character %U in %q", r, s)
			}
		}
	}
}

// FuzzParse feeds arbitrary bytes to the parser: it must never panic, and every
// problem must be an *Error with a position inside the file.
func FuzzParse(f *testing.F) {
	f.Add([]byte(front + goodBody))
	f.Add([]byte(front + "```experiment\nmodel: gil\ntasks: 4*cpu(5ms)\ncompare:\n  - model: threads\n```\n"))
	f.Add([]byte(front + "```predict\nquestion: q\nchoices:\n  - {text: a, when: speedup < 1 and wall > 2ms}\n  - b\nanswer: a\n```\n"))
	f.Add([]byte("---\n---\n---\n```\n"))
	f.Add([]byte("\uFEFF---\r\nid: x\r\n---\r\n{{run99.wall}}\r\n"))
	f.Add([]byte(front + "```experiment\n&a [*a, !!x y]\n```\n"))
	f.Add([]byte("---\nid: x\ntitle: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n---\n"))
	f.Add([]byte(front + "```predict\nquestion: " + strings.Repeat("{a: ", 300) + "\n```\n"))
	f.Add([]byte(front + "# \x1b]0;title\x07 \x1b]52;c;aGk=\x07 \x1b[2J \u009b31m\n"))
	f.Add([]byte(strings.Repeat("- ", 400) + "x\n"))
	names, _ := fs.Glob(assets.Lessons, "lessons/*.md")
	for _, n := range names {
		src, _ := assets.Lessons.ReadFile(n)
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		var errs []error
		var l *Lesson
		done := make(chan struct{})
		go func() { l, errs = Parse("f.md", src); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("Parse did not return within 10s for %q", src)
		}
		if len(errs) == 0 {
			requireNoControls(t, l)
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
