package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// No lesson shows a speed-up above what its cores can give: a run of CPU work alone
// on K cores goes at most K times faster than one after the other (work that waits,
// io and http, overlaps its waits, and the screen says so). Checked over the --json
// of every run of every lesson, each played $COREOGRAPHY_SPEEDUP_PLAYS times (3 for
// the check; it takes a while, so it runs when asked).
func TestNoSpeedupAboveTheCores(t *testing.T) {
	plays, _ := strconv.Atoi(os.Getenv("COREOGRAPHY_SPEEDUP_PLAYS"))
	if plays <= 0 {
		t.Skip("set COREOGRAPHY_SPEEDUP_PLAYS=3 to play every lesson that many times and check its speed-ups")
	}
	requireBinary(t)
	files, _ := filepath.Glob("../assets/lessons/*.md")
	env := scratchEnv(t)
	for _, f := range files {
		lesson := strings.TrimSuffix(filepath.Base(f), ".md")
		for range plays {
			cmd := exec.Command(binary, "play", lesson, "--json", "--disturbed=judge")
			cmd.Env = append(env, "COLUMNS=100", "LINES=30")
			out, _ := cmd.Output() // a verdict may disagree on a busy machine; the figures are what is checked
			sc := bufio.NewScanner(bytes.NewReader(out))
			sc.Buffer(make([]byte, 1<<20), 1<<26)
			for sc.Scan() {
				var r struct {
					Step, Run int
					Spec      string  `json:"spec"`
					TaskSpec  string  `json:"task_spec"`
					Speedup   float64 `json:"speedup"`
					SpeedupVs string  `json:"speedup_vs"`
					Cores     int     `json:"cores"`
					Workers   int     `json:"workers"`
					Source    string  `json:"source"`
				}
				if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
					t.Fatalf("%s: not JSON: %v", lesson, err)
				}
				waits := strings.Contains(r.TaskSpec, "io(") || strings.Contains(r.TaskSpec, "http(")
				limit := float64(max(min(r.Cores, max(r.Workers, 1)), 1))
				if !waits && r.Speedup > limit*1.1 {
					t.Errorf("%s step %d run %d (%s): speed-up %.2f× (vs %s) on %d cores", lesson, r.Step, r.Run, r.Spec, r.Speedup, r.SpeedupVs, r.Cores)
				}
			}
		}
	}
}
