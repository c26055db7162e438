package common

import (
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// lineWidth agrees with ansi.StringWidth on what the panel draws and on anything else.
func TestLineWidthAgreesWithStringWidth(t *testing.T) {
	for _, s := range []string{
		"", "plain", "\x1b[1;38;2;10;20;30mT1\x1b[m  ███▌··  ", "core 0 ▁▂▃▄▅▆▇█ │ ─ ┼ 1.5µs × 3 …",
		"r run • ? help", "0.1s ▲660ms", "▸ ← ↑ → ↓ ✓ ✗ ⊘ – —", "✓\ufe0f emoji", "•\u0301",
		"日本語 wide", "e\u0301 combining", "emoji 👍🏽 here", "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\",
		"tab\there", "\x1b[31", "ctl\x07",
	} {
		if got, want := LineWidth(s), ansi.StringWidth(s); got != want {
			t.Errorf("lineWidth(%q) = %d, ansi.StringWidth says %d", s, got, want)
		}
	}
}

func FuzzLineWidth(f *testing.F) {
	f.Add("\x1b[1mT1\x1b[m ███▌··")
	f.Add("日本 👍🏽 e\u0301")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := LineWidth(s), ansi.StringWidth(s); got != want {
			t.Fatalf("lineWidth(%q) = %d, ansi.StringWidth says %d", s, got, want)
		}
	})
}
