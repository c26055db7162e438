package experiment

import (
	"math"
	"testing"
	"time"
)

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                        "0",
		812 * time.Millisecond:   "812ms",
		12340 * time.Microsecond: "12.3ms",
		1620 * time.Millisecond:  "1.62s",
		45 * time.Microsecond:    "45µs",
		71100 * time.Nanosecond:  "71.1µs",
		2500 * time.Millisecond:  "2.5s",
		-3 * time.Millisecond:    "-3ms",
		999:                      "999ns",
	} {
		if got := FormatDuration(d, ""); got != want {
			t.Errorf("FormatDuration(%d) = %q, want %q", int64(d), got, want)
		}
	}
	if got := FormatDuration(300*time.Millisecond, " "); got != "300 ms" {
		t.Errorf("in prose: %q", got)
	}
	if got := FormatDuration(math.MinInt64, ""); got[0] != '-' {
		t.Errorf("the most negative duration: %q", got)
	}
}

func TestFormatBytes(t *testing.T) {
	for n, want := range map[float64]string{0: "0 B", 512: "512 B", 1536: "1.5 KB", 1.5 * (1 << 20): "1.5 MB", 3 << 30: "3.0 GB"} {
		if got := FormatBytes(n); got != want {
			t.Errorf("FormatBytes(%v) = %q, want %q", n, got, want)
		}
	}
}
