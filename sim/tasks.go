package sim

import (
	"sort"

	"github.com/coreography/coreography/internal/experiment"
)

// taskList indexes the tasks without expanding them: 100,000 copies of one task cost
// a group and a number, not 100,000 Task values.
type taskList struct {
	groups []experiment.Group
	ends   []int // ends[g] is one past group g's last task
}

func newTaskList(ts experiment.Tasks) taskList {
	l := taskList{groups: ts.Groups}
	n := 0
	for _, g := range ts.Groups {
		n += g.Count
		l.ends = append(l.ends, n)
	}
	return l
}

func (l taskList) len() int {
	if len(l.ends) == 0 {
		return 0
	}
	return l.ends[len(l.ends)-1]
}

// at is task i.
func (l taskList) at(i int) *experiment.Task {
	g := 0
	if len(l.ends) > 1 {
		g = sort.SearchInts(l.ends, i+1)
	}
	return &l.groups[g].Task
}
