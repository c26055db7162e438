package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// Tests named TestHostileNN… are issue 28's hostile cases, NN its item number.

// Issue 28 #6: the event budget is the run's, not 4,096 events a lane: 1,024 simulated
// workers on 256 cores run, and scale reaches 1,024 workers.
func TestHostile06ThousandSimWorkersRun(t *testing.T) {
	out := runCommand(t, "run", "--sim", "--profile", "cpython", "--workers", "1024", "--cores", "256", "--tasks", "2048*cpu(10ms)", "--json")
	var got struct {
		TasksDone int64 `json:"tasks_done"`
		Workers   int
	}
	if err := json.Unmarshal(out, &got); err != nil || got.TasksDone != 2048 || got.Workers != 1024 {
		t.Fatalf("run --sim at 1024 workers: %+v, %v\n%s", got, err, out)
	}
	out = runCommand(t, "scale", "--sim", "--profile", "cpython", "--tasks", "2048*cpu(10ms)", "--workers", "1,512,1024", "--json")
	var rep scaleReport
	if err := json.Unmarshal(out, &rep); err != nil || len(rep.Points) != 3 || rep.Points[2].Workers != 1024 {
		t.Fatalf("scale to 1024 workers: %v\n%s", err, out)
	}
}

// Issue 28 #9: scale's JSON and text are sound when the fit finds no serial part.
func TestHostile09ScaleWithNoSerialPart(t *testing.T) {
	var out bytes.Buffer
	rep := scaleReport{}
	rep.Amdahl.MaxSpeedup = 1 / rep.Amdahl.SerialFraction // +Inf
	if err := json.NewEncoder(&out).Encode(rep); err != nil || !json.Valid(out.Bytes()) {
		t.Fatalf("scale --json of a fit with no cap: %v\n%s", err, out.String())
	}
	line := amdahlLine(rep.Amdahl)
	if strings.Contains(line, "Inf") || !strings.Contains(line, "no cap") {
		t.Errorf("the fit's line says %q", line)
	}
}

func executeCode(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := execute(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}
