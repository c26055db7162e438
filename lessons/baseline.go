package lessons

import (
	"time"

	"github.com/coreography/coreography/internal/experiment"
)

// shortBaseline is the least work run 1 may plan, at its best with every worker busy,
// for a prediction to be judged against its measured time. A preemption costs the run
// up to a scheduler slice or a stall, which on a busy machine is a good part of a
// short baseline: the ratio then swings by as much as a verdict's margin, and the
// verdict would hinge on luck (docs/performance.md has the case that showed it). The
// calibrated figures (speedup, slowdown) do not move with the machine: compare with
// those instead.
const shortBaseline = 50 * time.Millisecond

// checkBaseline reports a prediction that judges against run 1's measured time when
// run 1 is too short to be trusted, at line:col of the predict block.
func checkBaseline(st Step, line, col int, p *problems) {
	if st.Predict == nil || st.Experiment == nil || len(st.Experiment.Runs) == 0 {
		return
	}
	best := bestWall(st.Experiment.Runs[0])
	if best >= shortBaseline {
		return
	}
	reported := map[string]bool{}
	for _, c := range st.Predict.Choices {
		c.cond.names(func(name string, _ int) {
			run, base, _ := splitName(name)
			if (base == "faster_than_run1" || run == 1 && base == "wall_s") && !reported[name] {
				reported[name] = true
				p.add(line, col, "when: %s compares with run 1, which plans only %v of work: one preemption "+
					"of the machine could decide the verdict; compare with the calibrated figure instead (speedup)", name, best)
			}
		})
	}
}

// bestWall is the least wall time a spec's planned work can take: its calibrated
// work shared by every worker it may keep busy.
func bestWall(spec experiment.Spec) time.Duration {
	n := spec.Normalized()
	parallel := max(n.Workers, 1)
	if n.Cores > 0 {
		parallel = min(parallel, n.Cores)
	}
	return n.Tasks.Work() / time.Duration(parallel)
}
