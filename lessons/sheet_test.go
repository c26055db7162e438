package lessons

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/coreography/coreography/assets"
)

// Every built-in lesson's worksheet asks each of its questions with its choices and
// gives nothing away: no answer, no explanation, nothing a run measured, no key of the
// app, no Markdown marks; its answer key gives each answer and why.
func TestWorksheetAndAnswerKey(t *testing.T) {
	names, _ := fs.Glob(assets.Lessons, "lessons/*.md")
	if len(names) == 0 {
		t.Fatal("no built-in lessons")
	}
	for _, name := range names {
		src, _ := assets.Lessons.ReadFile(name)
		l, errs := Parse(name, src)
		if len(errs) > 0 {
			t.Fatalf("%s: %v", name, errs)
		}
		var sheet, key strings.Builder
		if err := WriteSheet(&sheet, l, 80, false); err != nil {
			t.Fatal(err)
		}
		if err := WriteSheet(&key, l, 80, true); err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"Answer:", "Why:", "{{", "`", "**", "\n# ", "\n   # ", "Press ", "press "} {
			if strings.Contains(sheet.String(), bad) {
				t.Errorf("%s: the worksheet holds %q:\n%s", name, bad, sheet.String())
			}
		}
		for i, line := range strings.Split(sheet.String(), "\n") {
			if len([]rune(line)) > 80 && !strings.HasPrefix(line, "       ") {
				t.Errorf("%s: worksheet line %d is wider than 80: %q", name, i+1, line)
			}
		}
		for _, st := range l.Steps {
			p := st.Predict
			if p == nil {
				continue
			}
			q := strings.Fields(cleanInline(p.Question))[0]
			if !strings.Contains(sheet.String(), q) || !strings.Contains(key.String(), cleanInline(p.Answer)) {
				t.Errorf("%s: question %q or its answer %q missing", name, p.Question, p.Answer)
			}
			if p.Explanation != "" && strings.Contains(sheet.String(), strings.Join(strings.Fields(p.Explanation)[:4], " ")) {
				t.Errorf("%s: the worksheet gives the explanation of %q away", name, p.Question)
			}
		}
	}
}

// A sentence that names a key or quotes a measurement is left out of paper; the rest
// is rendered without its Markdown.
func TestPlainText(t *testing.T) {
	got := plainText("# Title\n\nIt took {{wall}}. Look at the `cores` lanes (`v` shows them). Press `f` now.\nThe **end**, [docs](https://x.org).", 80)
	want := "Title\n\nLook at the cores lanes. The end, docs (https://x.org)."
	if got != want {
		t.Errorf("plainText = %q, want %q", got, want)
	}
}

// On paper, the sentences and parentheses that name a key go; the rest of the
// Markdown, code and lists included, stays as written.
func TestWithoutKeys(t *testing.T) {
	in := "# Title\n\nLook at the lanes (`v` shows them). Press `f` for a close-up.\nThe end.\n\n- one `cpu(1ms)` item\n\n```\nx = `v`\n```\n"
	want := "# Title\n\nLook at the lanes. The end.\n\n- one `cpu(1ms)` item\n\n```\nx = `v`\n```\n"
	if got := WithoutKeys(in); got != want {
		t.Errorf("WithoutKeys =\n%q\nwant\n%q", got, want)
	}
}
