package ui

import (
	"strings"
	"unicode"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/ui/common"
)

// homeList is home's cursor, scroll and filter state: a value whose key handling is
// a pure function. The filter's text is edited by a textinput that home owns; Filter
// is what it holds.
type homeList struct {
	Len       int // rows passing the filter
	Cursor    int
	Offset    int // first row drawn
	Filter    string
	Filtering bool // keys are typed into the filter
}

type listEffect int

const (
	listNone listEffect = iota
	listMoved
	listFilterChanged
	listEdit // the filter's text input takes the key (starting to filter if need be)
	listOpen
	listContinue
	listLab
)

// press is home's navigation: the new list state and what home must do, for a key.
// Outside the filter, a letter that is not a key starts filtering with that letter.
func (l homeList) press(msg tea.KeyPressMsg, k common.HomeKeys) (homeList, listEffect) {
	letter := l.Filtering && typed(msg) // typed into the filter, even k or j
	switch {
	case key.Matches(msg, k.Open):
		l.Filtering = false
		return l, listOpen
	case key.Matches(msg, k.Up) && !letter:
		l.Cursor--
		return l.clamp(), listMoved
	case key.Matches(msg, k.Down) && !letter:
		l.Cursor++
		return l.clamp(), listMoved
	case key.Matches(msg, k.ClearFilter):
		if !l.Filtering && l.Filter == "" {
			return l, listNone
		}
		l.Filtering, l.Filter, l.Cursor = false, "", 0
		return l, listFilterChanged
	case l.Filtering && key.Matches(msg, k.DeleteChar) && l.Filter == "":
		l.Filtering = false
		return l, listNone
	case l.Filtering:
		return l, listEdit
	case key.Matches(msg, k.Filter):
		l.Filtering = true
		return l, listNone
	case key.Matches(msg, k.Continue):
		return l, listContinue
	case key.Matches(msg, k.Lab):
		return l, listLab
	case typed(msg) && msg.Text != " ":
		l.Filtering = true
		return l, listEdit
	}
	return l, listNone
}

// typed reports whether the key is printable text (no ctrl or alt).
func typed(msg tea.KeyPressMsg) bool {
	if msg.Text == "" || msg.Mod&(tea.ModCtrl|tea.ModAlt) != 0 {
		return false
	}
	for _, r := range msg.Text {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

func (l homeList) clamp() homeList {
	l.Cursor = max(min(l.Cursor, l.Len-1), 0)
	l.Offset = max(min(l.Offset, l.Cursor), 0)
	return l
}

// scrollTo keeps the cursor within the rows drawn.
func (l homeList) scrollTo(rows int) homeList {
	l = l.clamp()
	if l.Cursor >= l.Offset+rows {
		l.Offset = l.Cursor - rows + 1
	}
	l.Offset = max(min(l.Offset, l.Len-rows), 0)
	return l
}

// matchesFilter reports whether every word of filter is in the row's title, id, tags
// or summary, ignoring case.
func matchesFilter(it homeItem, filter string) bool {
	hay := "lab experiment your own"
	if it.lesson != nil {
		hay = strings.Join(append([]string{it.lesson.Title, it.lesson.ID, it.lesson.Summary, it.lesson.Level}, it.lesson.Tags...), " ")
		if it.kind == itemContinue {
			hay += " continue resume"
		}
	}
	hay = strings.ToLower(hay)
	for _, w := range strings.Fields(strings.ToLower(filter)) {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}
