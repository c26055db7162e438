package ui

import (
	"strings"
	"testing"

	"github.com/coreography/coreography/ui/internal/uitest"
)

// The filter is a text input: a letter starts it, backspace edits it, backspace on
// an empty filter leaves it, esc clears it, and k and j are letters while it is open.
func TestHomeFilterEditing(t *testing.T) {
	cat, prog := testCatalog(t)
	c := uitest.Common(&uitest.Runner{})
	h := newHome(c, cat, prog, nil)
	h.SetSize(80, 24)
	all := len(h.list.VisibleItems())
	steps := []struct {
		key, filter string
		filtering   bool
	}{
		{"g", "g", true}, {"o", "go", true}, {"k", "gok", true}, {"backspace", "go", true},
		{"esc", "", false}, {"/", "", true}, {"j", "j", true}, {"backspace", "", true}, {"backspace", "", false},
	}
	for _, s := range steps {
		h.Update(uitest.Key(s.key))
		if h.nav.Filter != s.filter || h.nav.Filtering != s.filtering || h.TakingText() != s.filtering {
			t.Fatalf("after %q: filter %q (filtering %v), want %q (%v)", s.key, h.nav.Filter, h.nav.Filtering, s.filter, s.filtering)
		}
	}
	if len(h.list.VisibleItems()) != all {
		t.Errorf("a cleared filter shows %d rows, want all %d", len(h.list.VisibleItems()), all)
	}
	h.Update(uitest.Key("g"))
	for _, k := range []string{"o", "l", "d", "e", "n"} {
		h.Update(uitest.Key(k))
	}
	if len(h.list.VisibleItems()) >= all || len(h.list.VisibleItems()) == 0 {
		t.Errorf("filter %q shows %d of %d rows", h.nav.Filter, len(h.list.VisibleItems()), all)
	}
}

// Coming back from a lesson, the cursor is on the lesson it was on, though a Continue
// row now stands above it (or has gone: the lesson was finished).
func TestHomeCursorStaysOnItsLessonAcrossContinue(t *testing.T) {
	cat, prog := testCatalog(t)
	h := newHome(uitest.Common(&uitest.Runner{}), cat, prog, nil)
	h.SetSize(80, 24)
	h.Update(uitest.Key("down"))
	lesson := h.selected().lesson
	prog.Seen(lesson.ID, 1) // opened it and went on a step: home now offers to continue it
	h.Refresh()
	if it := h.selected(); it.kind != itemLesson || it.lesson != lesson {
		t.Fatalf("after a Continue row came, the cursor is on %v %q, want the lesson %q", it.kind, it.lesson.Title, lesson.Title)
	}
	h.list.Select(0) // the Continue row
	for i := range lesson.Steps {
		prog.Seen(lesson.ID, i) // finished: the Continue row goes
	}
	h.Refresh()
	if it := h.selected(); it.kind != itemLesson || it.lesson != lesson {
		t.Fatalf("after the Continue row went, the cursor is on %v, want the lesson %q", it.kind, lesson.Title)
	}
}

// TestHomeCursorStaysInView: on a screen too short for every row, the list pages so
// the selected row is always drawn, and home never draws more lines than it has.
func TestHomeCursorStaysInView(t *testing.T) {
	cat, prog := testCatalog(t)
	h := newHome(uitest.Common(&uitest.Runner{}), cat, prog, nil)
	h.SetSize(80, 12)
	rows := len(h.list.VisibleItems())
	for i := range rows + 2 {
		view := uitest.Plain(h.View())
		sel := h.selected()
		title := "Lab: your own experiment"
		if sel.lesson != nil {
			title = sel.lesson.Title
		}
		if !strings.Contains(view, "▸ "+title) {
			t.Fatalf("after %d downs the selected row %q is not drawn:\n%s", i, title, view)
		}
		if n := strings.Count(view, "\n") + 1; n > 12 {
			t.Fatalf("after %d downs home is %d lines high, more than 12", i, n)
		}
		h.Update(uitest.Key("down"))
	}
	if sel := h.selected(); sel.kind != itemLab {
		t.Errorf("down past the last row leaves the cursor on %v, want the lab", sel.kind)
	}
}
