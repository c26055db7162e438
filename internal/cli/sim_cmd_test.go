package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func runCommand(t *testing.T, args ...string) []byte {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := execute(context.Background(), args, &out, &errOut); code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, errOut.String())
	}
	return out.Bytes()
}

// TestRunSimIsAModelAndDeterministic is the 64-core run, on the built-in cpython
// profile (this-machine would be measured first): parallelism ≥ 50, labelled a model,
// and the same output twice.
func TestRunSimIsAModelAndDeterministic(t *testing.T) {
	args := []string{"run", "--sim", "--profile", "cpython", "--model", "processes", "--workers", "64", "--cores", "64", "--tasks", "1000*cpu(10ms)", "--json"}
	first, second := runCommand(t, args...), runCommand(t, args...)
	if !bytes.Equal(first, second) {
		t.Errorf("two runs of the same simulated spec differ")
	}
	var got struct {
		Name, Source, Profile string
		Parallelism           float64
	}
	if err := json.Unmarshal(first, &got); err != nil {
		t.Fatal(err)
	}
	if got.Parallelism < 50 || got.Source != "sim" || got.Profile != "cpython" || !strings.Contains(got.Name, "SIMULATED") {
		t.Errorf("run --sim: %+v", got)
	}
}

// TestScaleFitsTheSerialFraction is the scale run, every point simulated on the
// cpython profile: the true serial fraction is 0.2 s of 1.8 s, 0.11.
func TestScaleFitsTheSerialFraction(t *testing.T) {
	out := runCommand(t, "scale", "--sim", "--profile", "cpython", "--model", "processes",
		"--tasks", "cpu(200ms) then 16*cpu(100ms)", "--workers", "1,2,4,8,16,32,64", "--json")
	var got scaleReport
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if s := got.Amdahl.SerialFraction; s < 0.07 || s > 0.16 || len(got.Points) != 7 {
		t.Errorf("serial fraction %.3f from %d points, want 0.07–0.16 from 7", s, len(got.Points))
	}
	for _, p := range got.Points {
		if p.Source != "sim" || p.Cores != p.Workers || p.WallS <= 0 || p.Speedup <= 0 {
			t.Errorf("point %+v", p)
		}
	}
	if !bytes.Contains(out, []byte(`"serial_fraction"`)) || !bytes.Contains(out, []byte(`"max_speedup"`)) {
		t.Errorf("--json lacks the amdahl fields:\n%s", out)
	}
}

func TestScaleDrawsThePlot(t *testing.T) {
	out := string(runCommand(t, "scale", "--sim", "--profile", "cpython", "--model", "threads", "--tasks", "cpu(20ms) then 16*cpu(10ms)", "--workers", "1,2,4,8"))
	for _, want := range []string{"○ simulated", "Amdahl, serial fraction", "· ideal", "sim", "the fitted law levels off near", "not a wall"} {
		if !strings.Contains(out, want) {
			t.Errorf("scale output lacks %q:\n%s", want, out)
		}
	}
}

func TestScaleRejectsBadWorkerLists(t *testing.T) {
	var out, errOut bytes.Buffer
	code := execute(context.Background(), []string{"scale", "--tasks", "cpu(1ms)", "--workers", "1,x"}, &out, &errOut)
	if code != 2 || !strings.Contains(errOut.String(), `"x" is not a worker count`) {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
}
