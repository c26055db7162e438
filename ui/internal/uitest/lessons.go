package uitest

import (
	"strings"
	"testing"

	"github.com/coreography/coreography/lessons"
)

// Lesson parses a lesson script, failing the test when it does not parse.
func Lesson(t testing.TB, src string) *lessons.Lesson {
	t.Helper()
	l, errs := lessons.Parse("play-test.md", []byte(src))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return l
}

// BuiltinLesson is the built-in lesson id, as the app ships it.
func BuiltinLesson(t testing.TB, id string) *lessons.Lesson {
	t.Helper()
	cat, _ := lessons.LoadCatalog(t.TempDir()) // an empty directory: the built-ins alone
	l, err := cat.Find(id)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// LaneLine is what follows label on the first line of view that starts with it.
func LaneLine(view, label string) string {
	for _, l := range strings.Split(view, "\n") {
		if strings.HasPrefix(l, label) {
			return l[len(label):]
		}
	}
	return ""
}

// Stretches counts the runs of r in a lane line at least minCols cells long.
func Stretches(line string, r rune, minCols int) int {
	n, run := 0, 0
	for _, c := range append([]rune(line), 0) {
		if c == r {
			run++
			continue
		}
		if run >= minCols {
			n++
		}
		run = 0
	}
	return n
}
