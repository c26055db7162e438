package lessons

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Escape sequences in a lesson are reported at their line and column, and nothing
// the player would show keeps one.
func TestControlCharactersReported(t *testing.T) {
	src := "---\nid: esc\ntitle: \"Hi \\e]0;pwned\\a\"\nminutes: 1\nsummary: x\x1b[31m\n---\n# Step\n\nText \x1b]52;c;aGk=\x07 and \x1b[2J.\n"
	l, errs := Parse("esc.md", []byte(src))
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{"esc.md:5:11: control character U+001B", "esc.md:9:6: control character U+001B", "esc.md:9:17: control character U+0007", "esc.md:9:23: control character U+001B"} {
		if !strings.Contains(all, want) {
			t.Errorf("missing %q in:\n%s", want, all)
		}
	}
	// The YAML escape "\e" in a quoted title makes an ESC only after parsing.
	if !strings.Contains(all, "esc.md:3:9: this value holds a control character") {
		t.Errorf("the title's YAML escapes were not reported:\n%s", all)
	}
	if strings.ContainsRune(all, 0x1b) || strings.ContainsRune(all, 0x07) {
		t.Errorf("an error message carries a control character: %q", all)
	}
	_ = l
}

// Nested YAML is refused before the parser sees it, in a few milliseconds and
// little memory (issue 7: 200 KB took 28 s and 15 GB).
func TestDeepYAMLRefusedCheaply(t *testing.T) {
	for name, fm := range map[string]string{
		"flow":  "title: " + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000),
		"map":   "title: " + strings.Repeat("{a: ", 50_000),
		"block": "title:\n" + nestedBlock(40),
		"dash":  "tags:\n" + strings.Repeat("- ", 40) + "x",
	} {
		src := "---\nid: deep\n" + fm + "\n---\n# s\n"
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		_, errs := Parse("deep.md", []byte(src))
		took := time.Since(start)
		runtime.ReadMemStats(&after)
		if len(errs) == 0 || !strings.Contains(errs[0].Error(), "nested more than") && !strings.Contains(errs[0].Error(), "more than the 64 KB") {
			t.Errorf("%s: errs = %v", name, errs)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 20<<20 {
			t.Errorf("%s: allocated %d MB to refuse", name, alloc>>20)
		}
		if took > 2*time.Second { // generous for a loaded machine; it takes ~ms
			t.Errorf("%s: took %s to refuse", name, took)
		}
	}
}

func nestedBlock(depth int) string {
	var b strings.Builder
	for i := range depth {
		b.WriteString(strings.Repeat("  ", i+1) + "k:\n")
	}
	return b.String()
}

// The lessons folder and lesson paths: special files are skipped with a message
// naming them, never read (a FIFO would block, /dev/zero would fill memory).
func TestSpecialFilesRefused(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.md")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	os.Symlink("/dev/zero", filepath.Join(dir, "zero.md"))
	os.Mkdir(filepath.Join(dir, "dir.md"), 0o755)
	os.WriteFile(filepath.Join(dir, "big.md"), make([]byte, MaxFileBytes+1), 0o600)
	done := make(chan struct{})
	var cat *Catalog
	var errs []error
	go func() { cat, errs = LoadCatalog(dir); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("LoadCatalog blocked on a special file")
	}
	all := ""
	for _, e := range errs {
		all += e.Error() + "\n"
	}
	for _, want := range []string{"fifo.md: cannot read: not a regular file (a FIFO)", "zero.md: cannot read: not a regular file (a character device)",
		"dir.md: cannot read: not a regular file (a directory)", "big.md: cannot read: file is too large"} {
		if !strings.Contains(all, want) {
			t.Errorf("missing %q in:\n%s", want, all)
		}
	}
	if len(cat.Lessons()) == 0 {
		t.Error("the built-in lessons were lost")
	}
	for _, path := range []string{fifo, filepath.Join(dir, "zero.md")} {
		if _, err := cat.Find(path); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("Find(%s) = %v", path, err)
		}
		if errs := Check([]string{path}); len(errs) != 1 || !strings.Contains(errs[0].Error(), "not a regular file") {
			t.Errorf("Check(%s) = %v", path, errs)
		}
	}
}

// Issue 28 #15: a megabyte of control characters lists the first MaxProblemsShown
// problems and one line counting the rest, not a million lines.
func TestHostile15DiagnosticsBounded(t *testing.T) {
	src := front + strings.Repeat("\x01\n", 500_000)
	_, errs := Parse("ctl.md", []byte(src))
	if len(errs) != MaxProblemsShown+1 {
		t.Fatalf("%d problems listed, want %d and a count of the rest", len(errs), MaxProblemsShown+1)
	}
	if first := errs[0].Error(); !strings.HasPrefix(first, "ctl.md:7:1: control character U+0001") {
		t.Errorf("first problem %q", first)
	}
	if last := errs[MaxProblemsShown].Error(); last != "ctl.md: and 499950 more problems, not listed: fix these first" {
		t.Errorf("last line %q", last)
	}
	// Check (the catalog's path, which adds its own problems) folds the count once.
	path := filepath.Join(t.TempDir(), "ctl.md")
	os.WriteFile(path, []byte(src), 0o644)
	errs = Check([]string{path})
	if len(errs) != MaxProblemsShown+1 || !strings.Contains(errs[MaxProblemsShown].Error(), "and 499950 more") {
		t.Errorf("Check listed %d problems, last %v", len(errs), errs[len(errs)-1])
	}
}

// Issue 28 #8: placeholder columns are counted once per line, not once per
// placeholder: a megabyte of {{cpu}} on one line is checked in linear time, and the
// columns are right past multi-byte characters.
func TestHostile08PlaceholderColumnsLinear(t *testing.T) {
	small, big := strings.Repeat("{{cpu}}", 20_000), strings.Repeat("{{cpu}}", 140_000)
	timeOf := func(line string) time.Duration {
		start := time.Now()
		n := 0
		placeholders(line, func(string, int) { n++ })
		return time.Since(start)
	}
	// A ratio within one run: linear work grows 7×, quadratic 49×.
	for try := 1; ; try++ {
		ts, tb := timeOf(small), timeOf(big)
		if tb < 20*ts || try == 3 {
			if tb >= 20*ts {
				t.Errorf("7× the placeholders took %.0f× the time (%v, %v): not linear", float64(tb)/float64(ts), ts, tb)
			}
			break
		}
	}
	var cols []int
	placeholders("é {{a}} 日本 {{b}}", func(_ string, col int) { cols = append(cols, col) })
	if len(cols) != 2 || cols[0] != 5 || cols[1] != 14 {
		t.Errorf("columns %v, want [5 14]", cols)
	}
}
