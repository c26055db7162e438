package timeline

import (
	"fmt"
	"strings"
)

// Title says what a trace ran, in one line: "gil · 2 workers · 2 cores · 4 tasks",
// after its name when it has one; "watch: CMD" for a watched command.
func (t *Trace) Title() string {
	if t.Model == "watch" { // a watched command: no workers, cores or tasks of the app's
		return "watch: " + strings.TrimPrefix(t.Name, "watch: ")
	}
	title := fmt.Sprintf("%s · %d %s · %d %s · %d tasks", t.Model, t.Workers, plural(t.Workers, "worker", "workers"),
		t.Cores, plural(t.Cores, "core", "cores"), t.Tasks)
	if t.Name != "" {
		title = t.Name + ": " + title
	}
	return title
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
