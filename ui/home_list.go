package ui

import (
	"fmt"
	"io"
	"strings"
	"unicode"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/list"
	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/lessons"
	"github.com/coreography/coreography/ui/common"
)

// itemKind is what a home row opens.
type itemKind int

const (
	itemContinue itemKind = iota // the lesson and step the learner left off at
	itemLesson
	itemLab
)

// homeItem is one row of home, an item of its list.
type homeItem struct {
	kind   itemKind
	lesson *lessons.Lesson
	step   int
	status lessons.Status
	score  string // "3/4": predictions right of those judged; "" before any
}

// FilterValue is what the filter looks for words in: the title, id, summary, level
// and tags, and what the Continue and Lab rows are.
func (it homeItem) FilterValue() string {
	if it.lesson == nil {
		return "lab experiment your own"
	}
	hay := strings.Join(append([]string{it.lesson.Title, it.lesson.ID, it.lesson.Summary, it.lesson.Level}, it.lesson.Tags...), " ")
	if it.kind == itemContinue {
		hay += " continue resume"
	}
	return hay
}

// matchWords is home's filter: the rows whose FilterValue holds every word of term,
// ignoring case, in their order (a fuzzy match found lessons by scattered letters).
func matchWords(term string, targets []string) []list.Rank {
	words := strings.Fields(strings.ToLower(term))
	var ranks []list.Rank
	for i, t := range targets {
		hay := strings.ToLower(t)
		all := true
		for _, w := range words {
			all = all && strings.Contains(hay, w)
		}
		if all {
			ranks = append(ranks, list.Rank{Index: i})
		}
	}
	return ranks
}

// newHomeList is home's list, configured as soft-serve's selector configures its
// own: one line per row drawn by home, no title, status bar, pagination or help of
// its own (the app's help bar lists home's keys), and no keys of its own either: home
// routes keys itself, as any letter starts its filter.
func newHomeList(h *home) list.Model {
	l := list.New(nil, homeDelegate{h}, 0, 0)
	l.SetShowTitle(false)
	l.SetShowFilter(false)
	l.SetShowStatusBar(false)
	l.SetShowPagination(false)
	l.SetShowHelp(false)
	l.DisableQuitKeybindings()
	l.KeyMap = list.KeyMap{}
	l.Filter = matchWords
	return l
}

// homeDelegate draws home's rows.
type homeDelegate struct{ h *home }

func (d homeDelegate) Height() int                         { return 1 }
func (d homeDelegate) Spacing() int                        { return 0 }
func (d homeDelegate) Update(tea.Msg, *list.Model) tea.Cmd { return nil }

func (d homeDelegate) Render(w io.Writer, m list.Model, index int, item list.Item) {
	if it, ok := item.(homeItem); ok {
		fmt.Fprint(w, d.h.row(it, index == m.Index(), d.h.width))
	}
}

// homeNav is home's filter state, apart from the list: what the filter holds and
// whether keys are typed into it. Its key handling is a pure function.
type homeNav struct {
	Filter    string
	Filtering bool // keys are typed into the filter
}

type navEffectHome int

const (
	homeNone navEffectHome = iota
	homeUp
	homeDown
	homeFilterCleared
	homeEdit // the filter's text input takes the key (starting to filter if need be)
	homeOpen
	homeContinue
	homeLab
)

// press is home's navigation: the new filter state and what home must do, for a key.
// Outside the filter, a letter that is not a key starts filtering with that letter.
func (n homeNav) press(msg tea.KeyPressMsg, k common.HomeKeys) (homeNav, navEffectHome) {
	letter := n.Filtering && typed(msg) // typed into the filter, even k or j
	switch {
	case key.Matches(msg, k.Open):
		n.Filtering = false
		return n, homeOpen
	case key.Matches(msg, k.Up) && !letter:
		return n, homeUp
	case key.Matches(msg, k.Down) && !letter:
		return n, homeDown
	case key.Matches(msg, k.ClearFilter):
		if !n.Filtering && n.Filter == "" {
			return n, homeNone
		}
		n.Filtering, n.Filter = false, ""
		return n, homeFilterCleared
	case n.Filtering && key.Matches(msg, k.DeleteChar) && n.Filter == "":
		n.Filtering = false
		return n, homeNone
	case n.Filtering:
		return n, homeEdit
	case key.Matches(msg, k.Filter):
		n.Filtering = true
		return n, homeNone
	case key.Matches(msg, k.Continue):
		return n, homeContinue
	case key.Matches(msg, k.Lab):
		return n, homeLab
	case typed(msg) && msg.Text != " ":
		n.Filtering = true
		return n, homeEdit
	}
	return n, homeNone
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
