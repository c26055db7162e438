package calibrate

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/coreography/coreography/sim"
)

// The first simulated run measures this machine in the open: each probe is named as
// it starts, with how far the measurement has come, and cancelling stops it between
// probes, caching nothing.
func TestMeasurementShowsEachProbeAndCanBeCancelled(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a few real probes")
	}
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var seen []ProbeProgress
	start := time.Now()
	_, err := MeasureThisMachine(ctx, func(p ProbeProgress) {
		seen = append(seen, p)
		if len(seen) == 3 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want the measurement cancelled", err)
	}
	if len(seen) != 3 || time.Since(start) > time.Minute {
		t.Fatalf("%d probes started after cancelling at the third, in %v", len(seen), time.Since(start))
	}
	want := []string{"processes ×2 · 2*cpu(0ns)", "processes ×2 · ", "processes ×1 · "}
	for i, p := range seen {
		if p.Done != i || p.Total != 5*probesPerRound || !strings.HasPrefix(p.Probe, want[i]) {
			t.Errorf("probe %d: %+v, want %d done of %d, running %q…", i+1, p, i, 5*probesPerRound, want[i])
		}
	}
	if MeasuredThisMachine() {
		t.Error("a cancelled measurement left a profile behind")
	}
}

func TestProgressBar(t *testing.T) {
	for _, tc := range []struct {
		p    ProbeProgress
		want string
	}{
		{ProbeProgress{Done: 0, Total: 60, Probe: "processes ×2 · 2*cpu(0ns)"},
			"measuring this machine for the model ▕░░░░░░░░░░░░░░░░░░░░▏ 0/60 · processes ×2 · 2*cpu(0ns)"},
		{ProbeProgress{Done: 30, Total: 60, Probe: "gil ×2 · 2*cpu(60ms)", Skipped: 1},
			"measuring this machine for the model ▕██████████░░░░░░░░░░▏ 30/60 · gil ×2 · 2*cpu(60ms) · 1 disturbed, skipped"},
		{ProbeProgress{Done: 60, Total: 60, Probe: "threads ×1 · 40*http(1ms)"},
			"measuring this machine for the model ▕████████████████████▏ 60/60 · threads ×1 · 40*http(1ms)"},
	} {
		if got := tc.p.Bar(0); got != tc.want {
			t.Errorf("bar\n got %q\nwant %q", got, tc.want)
		}
	}
	if got := (ProbeProgress{Done: 1, Total: 2, Probe: "serial ×1 · 2*cpu(50ms)"}).Bar(40); len([]rune(got)) != 40 || !strings.HasSuffix(got, "…") {
		t.Errorf("bar cut to 40 columns: %q", got)
	}
}

func TestProvenanceSaysWhenAndHowQuiet(t *testing.T) {
	at := time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		p    sim.Measurement
		want string
	}{
		{sim.Measurement{MeasuredAt: at, MeasuredLoad: 0.4}, "measured 2026-12-07, quiet"},
		{sim.Measurement{MeasuredAt: at, MeasuredLoad: 1.7}, "measured 2026-12-07, busy (load 1.7)"},
		{sim.Measurement{}, ""},
	} {
		if got := tc.p.Provenance(2); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.p, got, tc.want)
		}
	}
}
