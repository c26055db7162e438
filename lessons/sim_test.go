package lessons

import (
	"math"
	"runtime"
	"strings"
	"testing"
)

func TestExperimentSimKeys(t *testing.T) {
	src := front + "# Sim\n\n```experiment\nmodel: threads\nworkers: 1\nsim: auto\ntasks: cpu(20ms) then 8*cpu(10ms)\n" +
		"compare:\n  - workers: 1024\n  - workers: 4\n    sim: true\n    cores: 64\n    profile: cpython\n```\n\n{{serial_fraction}} caps at {{max_speedup}}.\n"
	l, errs := Parse("sim.md", []byte(src))
	if len(errs) > 0 {
		t.Fatalf("unexpected errors: %v", errs)
	}
	runs := l.Steps[0].Experiment.Runs
	if runs[0].Sim != (1 > runtime.NumCPU()) {
		t.Errorf("sim: auto on 1 worker gave sim %v on %d cores", runs[0].Sim, runtime.NumCPU())
	}
	if !runs[1].Sim || runs[1].Cores != 1024 && runs[1].Cores != 256 || runs[1].Tasks.Phases() != 2 {
		t.Errorf("sim: auto on 1024 workers: %+v", runs[1])
	}
	if !runs[2].Sim || runs[2].Cores != 64 || runs[2].Profile != "cpython" {
		t.Errorf("sim: true with cores 64: %+v", runs[2])
	}
}

func TestExperimentSimKeyErrors(t *testing.T) {
	for _, tc := range []struct{ block, want string }{
		{"model: threads\nsim: maybe\ntasks: cpu(1ms)", `sim should be true or false`},
		{"model: threads\nprofile: cpython\ntasks: cpu(1ms)", `profile: only a simulated run`},
		{"model: threads\nsim: true\ncores: 300\ntasks: cpu(1ms)", `1 to 256 cores`},
	} {
		_, errs := Parse("bad.md", []byte(front+"# S\n\n```experiment\n"+tc.block+"\n```\n"))
		if len(errs) == 0 || !strings.Contains(errs[0].Error(), tc.want) {
			t.Errorf("%q: errors %v, want %q", tc.block, errs, tc.want)
		}
	}
}

func TestMeasuredFitsAmdahl(t *testing.T) {
	var runs []map[string]float64
	for _, n := range []float64{1, 2, 4, 8, 64} {
		runs = append(runs, map[string]float64{"workers": n, "speedup": 1 / (0.11 + 0.89/n), "wall_s": 0.11 + 0.89/n})
	}
	m := Measured(runs)
	if math.Abs(m["serial_fraction"]-0.11) > 1e-9 || math.Abs(m["max_speedup"]-1/0.11) > 1e-6 {
		t.Errorf("fit: %v, %v", m["serial_fraction"], m["max_speedup"])
	}
	if got := Fill("{{serial_fraction}} / {{max_speedup}}", m); got != "0.110 / 9.09×" {
		t.Errorf("Fill = %q", got)
	}
}
