package common

import (
	"strings"
	"testing"
	"unsafe"
)

// TestFitTextIsFitLines: fitText gives what fitLines gives for every shape of text,
// and gives back the very same string when it already fits, so a frame that fits
// is not copied.
func TestFitTextIsFitLines(t *testing.T) {
	wide := "\x1b[1mbold\x1b[m and a line longer than ten"
	for _, tc := range []struct {
		s             string
		width, height int
		pad           bool
	}{
		{"", 10, 1, true},
		{"", 10, 3, true},
		{"a\nb\nc", 10, 3, true},
		{"a\nb\nc", 10, 3, false},
		{"a\nb", 10, 3, true},
		{"a\nb", 10, 3, false},
		{"a\nb\nc\nd", 10, 3, true},
		{"a\nb\nc\nd", 10, 3, false},
		{"ok\n" + wide + "\nok", 10, 3, true},
		{wide, 10, 1, false},
		{"a\n", 10, 2, true},
		{"█▄▁\nαβγ", 3, 2, true},
	} {
		want := FitLines(strings.Split(tc.s, "\n"), tc.width, tc.height, "…", tc.pad)
		got := FitText(tc.s, tc.width, tc.height, "…", tc.pad)
		if got != want {
			t.Errorf("fitText(%q, %d, %d, pad %v) = %q, fitLines gives %q", tc.s, tc.width, tc.height, tc.pad, got, want)
		}
		if got == tc.s && len(got) > 0 && unsafe.StringData(got) != unsafe.StringData(tc.s) {
			t.Errorf("fitText(%q) copied a text that fits", tc.s)
		}
	}
}
