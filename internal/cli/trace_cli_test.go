package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// replay refuses a trace whose metadata is nonsense (issue 7: a span near the int64
// limit made the timeline spin forever) with exit 2 and one line naming the field.
func TestReplayRefusesNonsenseTraces(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ name, body, want string }{
		{"span", `{"otherData":{"model":"gil","begin_ns":0,"end_ns":9223372036854775000},"traceEvents":[]}`, "otherData.end_ns 9223372036854775000 is out of range"},
		{"wall", `{"otherData":{"model":"gil","begin_ns":5000,"end_ns":10},"traceEvents":[]}`, "end_ns 10 is before begin_ns 5000"},
		{"workers", `{"otherData":{"model":"gil","workers":-12,"end_ns":10},"traceEvents":[]}`, "otherData.workers -12 is out of range"},
		{"cpu", `{"otherData":{"model":"gil","end_ns":9000},"traceEvents":[{"ph":"X","pid":1,"tid":0,"name":"running","ts":0,"dur":1,"args":{"cpu":70000}}]}`, "cpu 70000 is not a core number"},
	} {
		path := filepath.Join(dir, c.name+".json")
		if err := os.WriteFile(path, []byte(c.body), 0o644); err != nil {
			t.Fatal(err)
		}
		var out, errOut bytes.Buffer
		code := execute(context.Background(), []string{"replay", path}, &out, &errOut)
		if code != 2 || !strings.Contains(errOut.String(), c.want) || strings.Count(strings.TrimSpace(errOut.String()), "\n") != 0 {
			t.Errorf("replay %s: exit %d, stderr %q; want 2 and one line saying %q", c.name, code, errOut.String(), c.want)
		}
	}
}

// run --trace writes what replay reads back, as JSON a trace viewer opens.
func TestRunTraceRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.json")
	var out, errOut bytes.Buffer
	if code := execute(context.Background(), []string{"run", "--model", "threads", "--workers", "2", "--tasks", "200*cpu(10us)", "--json", "--trace", path}, &out, &errOut); code != 0 {
		t.Fatalf("run: exit %d: %s", code, errOut.String())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var chrome struct {
		TraceEvents []map[string]any `json:"traceEvents"`
	}
	if err := json.Unmarshal(data, &chrome); err != nil || len(chrome.TraceEvents) < 400 {
		t.Fatalf("not a trace viewers open (%v), %d events", err, len(chrome.TraceEvents))
	}
	if _, err := readTraceFile(path); err != nil {
		t.Fatalf("replay cannot read what run wrote: %v", err)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".t.json.tmp-*")); len(leftovers) > 0 {
		t.Fatalf("temporary files left: %v", leftovers)
	}
}
