package ui

import (
	"fmt"
	"strings"
	"unicode"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/coreography/coreography/lessons"
)

// itemKind is what a home row opens.
type itemKind int

const (
	itemContinue itemKind = iota // the lesson and step the learner left off at
	itemLesson
	itemLab
)

// homeItem is one row of home.
type homeItem struct {
	kind   itemKind
	lesson *lessons.Lesson
	step   int
	status lessons.Status
}

// home is the first screen: continue where you left off, the lessons with their
// progress, and the lab; type to filter, enter opens.
type home struct {
	c     *Common
	cat   *lessons.Catalog
	prog  *lessons.Progress
	notes []string // problems loading lessons or progress, shown, never fatal

	items   []homeItem
	list    homeList
	visible []int // indexes into items that pass the filter
	width   int
	height  int
}

func newHome(c *Common, cat *lessons.Catalog, prog *lessons.Progress, notes []string) *home {
	h := &home{c: c, cat: cat, prog: prog, notes: notes}
	h.Refresh()
	return h
}

// Refresh rereads progress, so statuses are current after coming back from a lesson.
func (h *home) Refresh() {
	h.items = h.items[:0]
	var all []*lessons.Lesson
	if h.cat != nil {
		all = h.cat.Lessons()
	}
	if h.prog != nil {
		if id, step, ok := h.prog.Resume(); ok {
			for _, l := range all {
				// A finished lesson is not something to continue: its row says done.
				if l.ID == id && step < len(l.Steps) && h.prog.Status(l) != lessons.Done {
					h.items = append(h.items, homeItem{kind: itemContinue, lesson: l, step: step})
				}
			}
		}
	}
	for _, l := range all {
		it := homeItem{kind: itemLesson, lesson: l}
		if h.prog != nil {
			it.status = h.prog.Status(l)
		}
		h.items = append(h.items, it)
	}
	h.items = append(h.items, homeItem{kind: itemLab})
	h.applyFilter()
}

func (h *home) applyFilter() {
	h.visible = h.visible[:0]
	for i, it := range h.items {
		if matchesFilter(it, h.list.Filter) {
			h.visible = append(h.visible, i)
		}
	}
	h.list.Len = len(h.visible)
	h.list = h.list.clamp()
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

func (h *home) Init() tea.Cmd { return nil }

func (h *home) SetSize(width, height int) { h.width, h.height = width, height }

// TakingText: while filtering, q and ? are letters.
func (h *home) TakingText() bool { return h.list.Filtering }

func (h *home) Update(msg tea.Msg) tea.Cmd {
	kp, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	var eff listEffect
	h.list, eff = h.list.press(kp, h.c.Keys)
	switch eff {
	case listFilterChanged:
		h.applyFilter()
	case listOpen:
		return h.open()
	case listContinue:
		for _, it := range h.items {
			if it.kind == itemContinue {
				return openLesson(it.lesson, it.step)
			}
		}
	case listLab:
		return func() tea.Msg { return openLabMsg{} }
	}
	return nil
}

func (h *home) open() tea.Cmd {
	if h.list.Cursor >= len(h.visible) {
		return nil
	}
	it := h.items[h.visible[h.list.Cursor]]
	switch it.kind {
	case itemLab:
		return func() tea.Msg { return openLabMsg{} }
	case itemContinue:
		return openLesson(it.lesson, it.step)
	default:
		step := 0
		// Reopening a lesson left halfway continues it.
		if h.prog != nil {
			if id, s, ok := h.prog.Resume(); ok && id == it.lesson.ID && it.status == lessons.InProgress {
				step = s
			}
		}
		return openLesson(it.lesson, step)
	}
}

func openLesson(l *lessons.Lesson, step int) tea.Cmd {
	return func() tea.Msg { return openLessonMsg{lesson: l, step: step} }
}

func (h *home) ShortHelp() []key.Binding {
	k := h.c.Keys
	if h.list.Filtering {
		return []key.Binding{k.Open, key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter"))}
	}
	b := []key.Binding{k.Up, k.Down, k.Open, k.Filter}
	if h.canContinue() {
		b = append(b, k.Continue)
	}
	return append(b, k.Lab)
}

func (h *home) FullHelp() [][]key.Binding {
	k := h.c.Keys
	more := []key.Binding{k.Filter}
	if h.canContinue() {
		more = append(more, k.Continue)
	}
	return [][]key.Binding{{k.Up, k.Down, k.Open}, append(more, k.Lab)}
}

// canContinue reports whether c has a lesson to go back to.
func (h *home) canContinue() bool {
	for _, it := range h.items {
		if it.kind == itemContinue {
			return true
		}
	}
	return false
}

// View draws the header, the rows that fit (scrolled to keep the cursor in view), the
// selected lesson's summary, the filter line and any loading problems.
func (h *home) View() string {
	if h.width <= 0 || h.height <= 0 {
		return ""
	}
	s := h.c.Styles
	w := h.width
	header := []string{
		s.Title.Render("coreography") + s.Subtle.Render(" · concurrency vs parallelism, run for real"),
		"",
	}
	var summary, footer []string
	if sel := h.selected(); sel != nil && sel.lesson != nil && sel.lesson.Summary != "" {
		summary = []string{"", s.Subtitle.Render(ansi.Truncate(sel.lesson.Summary, w, "…"))}
	}
	if h.list.Filtering || h.list.Filter != "" {
		line := s.Accent.Render("/ ") + s.Text.Render(h.list.Filter)
		if h.list.Filtering {
			line += s.Accent.Render("_")
		}
		footer = append(footer, "", line)
	}
	if len(h.notes) > 0 {
		more := ""
		if len(h.notes) > 1 {
			more = fmt.Sprintf(" (and %d more)", len(h.notes)-1)
		}
		footer = append(footer, s.Error.Render(ansi.Truncate("! "+h.notes[0]+more, w, "…")))
	}
	rows := max(h.height-len(header)-len(summary)-len(footer), 1)
	h.list = h.list.scrollTo(rows)
	var body []string
	if len(h.visible) == 0 {
		body = append(body, s.Subtle.Render("  nothing matches "+fmt.Sprintf("%q", h.list.Filter)))
	}
	for i := h.list.Offset; i < len(h.visible) && len(body) < rows; i++ {
		body = append(body, h.row(h.items[h.visible[i]], i == h.list.Cursor, w))
	}
	// The summary sits under the rows; blank lines push the filter and notes down.
	body = append(body, summary...)
	for len(body) < rows+len(summary) {
		body = append(body, "")
	}
	return strings.Join(append(append(header, body...), footer...), "\n")
}

func (h *home) selected() *homeItem {
	if h.list.Cursor < len(h.visible) {
		return &h.items[h.visible[h.list.Cursor]]
	}
	return nil
}

// row draws one item: a marker, the title, and right-aligned minutes and status, which
// are words as well as colours so they read without colour.
func (h *home) row(it homeItem, selected bool, width int) string {
	s := h.c.Styles
	marker, title, right := "  ", "", ""
	if selected {
		marker = "▸ "
	}
	switch it.kind {
	case itemContinue:
		title = fmt.Sprintf("Continue: %s, step %d/%d", it.lesson.Title, it.step+1, len(it.lesson.Steps))
	case itemLab:
		title = "Lab: your own experiment"
	default:
		title = it.lesson.Title
		right = fmt.Sprintf("%2d min  %-11s", it.lesson.Minutes, it.status)
	}
	room := width - ansi.StringWidth(marker) - ansi.StringWidth(right) - 1
	if room < 8 { // too narrow for both: the title matters more
		right, room = "", width-ansi.StringWidth(marker)
	}
	title = ansi.Truncate(title, room, "…")
	gap := strings.Repeat(" ", max(width-ansi.StringWidth(marker)-ansi.StringWidth(title)-ansi.StringWidth(right), 0))
	styled := s.Text.Render(title)
	if selected {
		styled = s.Selected.Render(title)
	}
	statusStyle := s.Subtle
	switch it.status {
	case lessons.Done:
		statusStyle = s.Good
	case lessons.InProgress:
		statusStyle = s.Accent
	}
	if it.kind != itemLesson {
		statusStyle = s.Subtle
	}
	return s.Accent.Render(marker) + styled + gap + statusStyle.Render(right)
}

// homeList is home's cursor, scroll and filter: a value whose key handling is a pure
// function, tested by a table.
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
	listOpen
	listContinue
	listLab
)

// press is home's navigation: the new list state and what home must do, for a key.
// Outside the filter, a letter that is not a key starts filtering with that letter.
func (l homeList) press(msg tea.KeyPressMsg, k KeyMap) (homeList, listEffect) {
	switch {
	case key.Matches(msg, k.Open):
		l.Filtering = false
		return l, listOpen
	case msg.String() == "up" || (!l.Filtering && key.Matches(msg, k.Up)):
		l.Cursor--
		return l.clamp(), listMoved
	case msg.String() == "down" || (!l.Filtering && key.Matches(msg, k.Down)):
		l.Cursor++
		return l.clamp(), listMoved
	case msg.String() == "esc":
		if !l.Filtering && l.Filter == "" {
			return l, listNone
		}
		l.Filtering, l.Filter, l.Cursor = false, "", 0
		return l, listFilterChanged
	case l.Filtering && msg.String() == "backspace":
		if l.Filter == "" {
			l.Filtering = false
			return l, listNone
		}
		r := []rune(l.Filter)
		l.Filter, l.Cursor = string(r[:len(r)-1]), 0
		return l, listFilterChanged
	case l.Filtering:
		if typed(msg) {
			l.Filter += msg.Text
			l.Cursor = 0
			return l, listFilterChanged
		}
		return l, listNone
	case key.Matches(msg, k.Filter):
		l.Filtering = true
		return l, listNone
	case key.Matches(msg, k.Continue):
		return l, listContinue
	case key.Matches(msg, k.Lab):
		return l, listLab
	case typed(msg) && msg.Text != " ":
		l.Filtering, l.Filter, l.Cursor = true, msg.Text, 0
		return l, listFilterChanged
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
