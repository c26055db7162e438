package timeline

import (
	"fmt"
	"math"
	"strings"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
)

// MemoryBars draws what a waiting task cost in memory, run by run, as bars on a log
// scale (a coroutine's kilobyte and a process's megabytes on one chart): the C10K
// argument at a glance. "" unless at least two runs measured it.
func MemoryBars(runs []timeline.Stats, width int) string {
	type bar struct {
		name  string
		bytes float64
	}
	var bars []bar
	nameW := 0
	for i, s := range runs {
		if v := s.Memory.PerTask(); v > 0 {
			name := fmt.Sprintf("%d %s ×%d", i+1, s.Model, s.Workers)
			if named := fmt.Sprintf("%d %s", i+1, s.Name); s.Name != "" && common.LineWidth(named) <= width/3 {
				name = named // the run's own name where it fits whole, never cut mid-word
			}
			bars = append(bars, bar{name, v})
			nameW = max(nameW, common.LineWidth(name))
		}
	}
	if len(bars) < 2 {
		return ""
	}
	nameW = min(nameW, width/3)
	lo, hi := math.Inf(1), 0.0
	for _, b := range bars {
		lo, hi = min(lo, b.bytes), max(hi, b.bytes)
	}
	lo = math.Max(lo/4, 256) // the smallest bar still shows
	cols := max(width-nameW-12, 8)
	out := []string{"memory per waiting task (log scale)"}
	for _, b := range bars {
		n := max(1, int(math.Round(float64(cols)*math.Log(b.bytes/lo)/math.Log(hi/lo))))
		out = append(out, fmt.Sprintf("%-*s %s %s", nameW, common.TruncateLine(b.name, nameW), strings.Repeat("█", min(n, cols)),
			experiment.FormatSize(int64(b.bytes), experiment.Prose)))
	}
	return strings.Join(out, "\n")
}
