package panel

import (
	"fmt"
	"strings"

	"github.com/coreography/coreography/internal/experiment"
)

// specTitle is a spec in a few words, for headers and lists.
func specTitle(s experiment.Spec) string { return s.Normalized().String() }

// runTitle names a run: its spec, with the chunk size or switch interval when one
// was set, which is often what a comparison is about.
func RunTitle(s experiment.Spec) string {
	t := specTitle(s)
	for _, k := range knobsSet(s) {
		t += " · " + k
	}
	return t
}

// knobsSet are the chunk size and switch interval a spec sets, as "chunk 10" and
// "switch 1ms"; none where it leaves the default.
func knobsSet(s experiment.Spec) []string {
	var out []string
	if s.ChunkSize > 0 {
		out = append(out, fmt.Sprintf("chunk %d", s.ChunkSize))
	}
	if s.SwitchInterval > 0 && s.SwitchInterval != experiment.DefaultSwitchInterval {
		out = append(out, "switch "+experiment.FormatDuration(s.SwitchInterval, experiment.Short))
	}
	return out
}

// knobsNamed is s named by the chunk size or switch interval it sets, when it has
// no name: two runs x compares that differ only there say so above their lanes.
func KnobsNamed(s experiment.Spec) experiment.Spec {
	if k := knobsSet(s); s.Name == "" && len(k) > 0 {
		s.Name = strings.Join(k, ", ")
	}
	return s
}

// compareName is a run's name among others on one axis: model, workers, the cores
// it is pinned to, and in brackets what it sets, "gil ×2 (switch 1ms)".
func compareName(s experiment.Spec) string {
	n := s.Normalized()
	name := fmt.Sprintf("%s ×%d", n.Model, n.Workers)
	if n.Cores > 0 {
		name += fmt.Sprintf(" on %d core", n.Cores)
		if n.Cores > 1 {
			name += "s"
		}
	}
	if k := knobsSet(s); len(k) > 0 {
		name += " (" + strings.Join(k, ", ") + ")"
	}
	return name
}

// compareTitle names the two runs x shows, and their tasks: once when both ran the
// same, else each run's own.
func CompareTitle(a, b experiment.Spec) string {
	return CompareTitles([]experiment.Spec{a, b})
}

// compareTitles names runs shown on one axis, and their tasks: once when all ran
// the same, else each run's own, so a lesson's runs that differ only in their tasks
// (a lock, a payload) say how.
func CompareTitles(specs []experiment.Spec) string {
	names := make([]string, len(specs))
	for i, s := range specs {
		names[i] = compareName(s)
		if s.Tasks.String() != specs[0].Tasks.String() {
			return "compare: " + strings.Join(withTasks(specs), " vs ")
		}
	}
	return "compare: " + strings.Join(names, " vs ") + " · " + specs[0].Tasks.String()
}

// withTasks names each run with its tasks; when the runs share a name, it is said
// once, before the tasks that tell them apart.
func withTasks(specs []experiment.Spec) []string {
	out := make([]string, len(specs))
	same := true
	for i, s := range specs {
		out[i] = s.Tasks.String()
		same = same && compareName(s) == compareName(specs[0])
	}
	if same {
		out[0] = compareName(specs[0]) + " · " + out[0]
		return out
	}
	for i, s := range specs {
		out[i] = compareName(s) + " · " + out[i]
	}
	return out
}
