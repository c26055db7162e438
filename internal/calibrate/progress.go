package calibrate

import (
	"context"
	"fmt"
	"strings"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/sim"
)

// probesPerRound is how many probe runs one round of measureOnce makes: four of the
// process pool, eight of the in-process engines (three of them the event loop's).
const probesPerRound = 12

// ProbeProgress is where the measurement of this machine is: which probe runs now
// (Done of Total have finished), and how many probes stayed disturbed, whose rounds
// are skipped.
type ProbeProgress struct {
	Done, Total int
	Probe       string // the probe running now, as a spec: "processes ×2 · 2*cpu(0ns)"
	Skipped     int
}

// Progress hears of every probe as it starts; nil for nobody.
type Progress func(ProbeProgress)

// Bar draws p as one line of a width of about width columns:
// "measuring this machine for the model ▕████░░░░▏ 12/60 · gil ×2 · 2*cpu(60ms)".
func (p ProbeProgress) Bar(width int) string {
	const cells = 20
	full := 0
	if p.Total > 0 {
		full = min(cells*p.Done/p.Total, cells)
	}
	out := fmt.Sprintf("measuring this machine for the model ▕%s%s▏ %d/%d · %s",
		strings.Repeat("█", full), strings.Repeat("░", cells-full), p.Done, p.Total, p.Probe)
	if p.Skipped > 0 {
		out += fmt.Sprintf(" · %d disturbed, skipped", p.Skipped)
	}
	if r := []rune(out); width > 0 && len(r) > width {
		out = string(r[:max(width-1, 0)]) + "…"
	}
	return out
}

// prober runs the measurement's probes on the real engines and reports each.
type prober struct {
	engines        experiment.Runner
	progress       Progress
	done, total    int
	skipped        int
	roundDisturbed bool // a probe of this round stayed disturbed through every try
}

func (p *prober) starting(spec experiment.Spec) {
	if p.progress != nil {
		p.progress(ProbeProgress{Done: p.done, Total: max(p.total, p.done+1), Probe: spec.String(), Skipped: p.skipped})
	}
}

func (p *prober) finished(disturbed bool) {
	p.done++
	if disturbed {
		p.skipped++
		p.roundDisturbed = true
	}
}

// MeasuredThisMachine reports whether the this-machine profile is at hand (measured
// in this process, or cached and fit to use), so that a sim run on it starts at once.
func MeasuredThisMachine() bool {
	thisMachineOnce.Lock()
	measured := thisMachine != nil
	thisMachineOnce.Unlock()
	return measured || cachedProfile() != nil
}

// MeasureThisMachine makes the this-machine profile ready: from the cache, or measured
// now in the open, progress hearing of every probe. Cancelling ctx stops it between
// probe runs, and nothing is cached.
func MeasureThisMachine(ctx context.Context, progress Progress) (sim.Profile, error) {
	return thisMachineProfile(ctx, progress)
}
