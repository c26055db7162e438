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
		if got := FormatDuration(d, Short); got != want {
			t.Errorf("FormatDuration(%d) = %q, want %q", int64(d), got, want)
		}
	}
	if got := FormatDuration(300*time.Millisecond, Prose); got != "300 ms" {
		t.Errorf("in prose: %q", got)
	}
	if got := FormatDuration(math.MinInt64, Short); got[0] != '-' {
		t.Errorf("the most negative duration: %q", got)
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 512: "512 B", 1536: "1.5 KB", 1.5 * (1 << 20): "1.5 MB", 3 << 30: "3 GB", 1234567: "1.18 MB"} {
		if got := FormatSize(n, Prose); got != want {
			t.Errorf("FormatSize(%v, Prose) = %q, want %q", n, got, want)
		}
	}
	if got := FormatSize(1536, Short); got != "1.5KB" {
		t.Errorf("FormatSize(1536, Short) = %q", got)
	}
}

// TestExactReadsBack: the notation's spelling of a quantity parses to the same value.
func TestExactReadsBack(t *testing.T) {
	for _, d := range []time.Duration{0, 1, 999, 1500 * time.Microsecond, 2 * time.Second, 59 * time.Second, 1234567} {
		want := "cpu(" + FormatDuration(d, Exact) + ")"
		ts, err := ParseTasks(want)
		if err != nil || ts.Groups[0].Task.Steps[0].D != d {
			t.Errorf("%v spelled %s reads back as %v, %v", d, want, ts, err)
		}
	}
	for _, n := range []int64{0, 1, 1023, 1024, 1536, 64 << 20} {
		spelled := "cpu(1ms) in=" + FormatSize(n, Exact)
		ts, err := ParseTasks(spelled)
		if err != nil || ts.Groups[0].Task.In != n {
			t.Errorf("%d bytes spelled %s reads back as %v, %v", n, spelled, ts, err)
		}
	}
	if got := FormatDuration(1500*time.Microsecond, Exact); got != "1500us" {
		t.Errorf("1.5ms in the notation: %q, want 1500us", got)
	}
}
