package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/list"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/coreography/coreography/lessons"
	"github.com/coreography/coreography/ui/common"
)

// home is the first screen: continue where you left off, the lessons with their
// progress, and the lab; type to filter, enter opens. Its rows are an embedded
// bubbles list (soft-serve's selector); home draws them and routes the keys.
type home struct {
	c     *common.Common
	cat   *lessons.Catalog
	prog  *lessons.Progress
	notes []string // problems loading lessons or progress, shown, never fatal

	list   list.Model      // the rows, the cursor and paging
	nav    homeNav         // the filter's text, and whether keys go to it
	filter textinput.Model // edits nav.Filter
	width  int
	height int
}

func newHome(c *common.Common, cat *lessons.Catalog, prog *lessons.Progress, notes []string) *home {
	h := &home{c: c, cat: cat, prog: prog, notes: notes, filter: textinput.New()}
	h.list = newHomeList(h)
	h.filter.Prompt = "/ "
	h.filter.SetStyles(filterStyles(c.Styles))
	h.Refresh()
	return h
}

// Refresh rereads progress, so statuses are current after coming back from a lesson.
// The cursor stays on its row, though the Continue row above it came or went.
func (h *home) Refresh() {
	var was homeItem
	if it := h.selected(); it != nil {
		was = *it
	}
	var all []*lessons.Lesson
	if h.cat != nil {
		all = h.cat.Lessons()
	}
	var items []list.Item
	if h.prog != nil {
		if id, step, ok := h.prog.Resume(); ok {
			for _, l := range all {
				// A finished lesson is not something to continue: its row says done.
				if l.ID == id && step < len(l.Steps) && h.prog.Status(l) != lessons.Done {
					items = append(items, homeItem{kind: itemContinue, lesson: l, step: step})
				}
			}
		}
	}
	for _, l := range all {
		it := homeItem{kind: itemLesson, lesson: l}
		if h.prog != nil {
			it.status = h.prog.Status(l)
			if right, judged := h.prog.Score(l); judged > 0 {
				it.score = fmt.Sprintf("%d/%d", right, judged)
			}
		}
		items = append(items, it)
	}
	h.list.SetItems(append(items, homeItem{kind: itemLab})) // filtered again just below
	h.applyFilter()
	h.reselect(was)
}

// reselect puts the cursor on was's row again, or on its lesson's row when was was a
// Continue row that is gone (the lesson was finished).
func (h *home) reselect(was homeItem) {
	row := -1
	for i, item := range h.list.VisibleItems() {
		it := item.(homeItem)
		if it.lesson != was.lesson {
			continue
		}
		if it.kind == was.kind {
			row = i
			break
		}
		if it.kind == itemLesson {
			row = i
		}
	}
	if row >= 0 {
		h.list.Select(row)
		h.layout()
	}
}

// applyFilter shows the rows the filter matches, the cursor on the first.
func (h *home) applyFilter() {
	if h.nav.Filter == "" {
		h.list.ResetFilter()
		h.list.Select(0)
	} else {
		h.list.SetFilterText(h.nav.Filter)
	}
	h.layout()
}

func (h *home) Init() tea.Cmd { return nil }

func (h *home) SetSize(width, height int) {
	h.width, h.height = width, height
	h.filter.SetWidth(max(width-3, 1))
	h.filter.SetStyles(filterStyles(h.c.Styles)) // the theme may have changed
	h.layout()
}

// filterStyles draw the filter line in the theme: an accent prompt, the text, and a
// cursor that does not blink (a blinking cursor would redraw home twice a second).
func filterStyles(s *common.Styles) textinput.Styles {
	st := textinput.DefaultStyles(true)
	st.Focused.Prompt, st.Blurred.Prompt = s.Accent, s.Accent
	st.Focused.Text, st.Blurred.Text = s.Text, s.Text
	st.Cursor.Color = s.Accent.GetForeground()
	st.Cursor.Blink = false
	return st
}

// TakingText: while filtering, q and ? are letters.
func (h *home) TakingText() bool { return h.nav.Filtering }

func (h *home) Update(msg tea.Msg) tea.Cmd {
	kp, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	var eff navEffectHome
	h.nav, eff = h.nav.press(kp, h.c.Keys.Home)
	defer h.layout()
	cmd := h.editFilter(kp, eff)
	switch eff {
	case homeUp:
		h.list.CursorUp()
	case homeDown:
		h.list.CursorDown()
	case homeFilterCleared, homeEdit:
		return cmd
	case homeOpen:
		return h.open()
	case homeContinue:
		for _, item := range h.list.Items() {
			if it := item.(homeItem); it.kind == itemContinue {
				return openLesson(it.lesson, it.step)
			}
		}
	case homeLab:
		return func() tea.Msg { return openLabMsg{} }
	}
	return nil
}

// editFilter keeps the filter's text input in step with nav: focused while
// filtering, given the keys typed into it, empty once cleared; the list shows what
// it matches.
func (h *home) editFilter(kp tea.KeyPressMsg, eff navEffectHome) tea.Cmd {
	var cmd tea.Cmd
	switch {
	case !h.nav.Filtering:
		h.filter.Blur()
		if h.nav.Filter == "" {
			h.filter.Reset()
		}
	case !h.filter.Focused():
		h.filter.CursorEnd()
		cmd = h.filter.Focus()
	}
	if eff == homeEdit {
		var typed tea.Cmd
		h.filter, typed = h.filter.Update(kp)
		cmd = tea.Batch(cmd, typed)
	}
	if v := h.filter.Value(); v != h.nav.Filter || eff == homeFilterCleared {
		h.nav.Filter = v
		h.applyFilter()
	}
	return cmd
}

func (h *home) open() tea.Cmd {
	sel := h.selected()
	if sel == nil {
		return nil
	}
	it := *sel
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
	k := h.c.Keys.Home
	if h.nav.Filtering {
		return []key.Binding{k.Open, k.ClearFilter}
	}
	b := []key.Binding{k.Up, k.Down, k.Open, k.Filter}
	if h.canContinue() {
		b = append(b, k.Continue)
	}
	return append(b, k.Lab)
}

func (h *home) FullHelp() [][]key.Binding {
	k := h.c.Keys.Home
	more := []key.Binding{k.Filter}
	if h.canContinue() {
		more = append(more, k.Continue)
	}
	return [][]key.Binding{{k.Up, k.Down, k.Open}, append(more, k.Lab)}
}

// canContinue reports whether c has a lesson to go back to.
func (h *home) canContinue() bool {
	for _, item := range h.list.Items() {
		if item.(homeItem).kind == itemContinue {
			return true
		}
	}
	return false
}

// View draws the header, the list's rows (layout gave it the room they have), the
// selected lesson's summary, the filter line and any loading problems. It changes
// nothing.
func (h *home) View() string {
	if h.width <= 0 || h.height <= 0 {
		return ""
	}
	s := h.c.Styles
	header, summary, footer := h.frame()
	rows := h.rows()
	var body []string
	if len(h.list.VisibleItems()) == 0 {
		body = append(body, s.Subtle.Render("  nothing matches "+fmt.Sprintf("%q", h.nav.Filter)))
	} else {
		body = strings.Split(h.list.View(), "\n")
	}
	// The summary sits under the rows; blank lines push the filter and notes down.
	body = append(body, summary...)
	for len(body) < rows+len(summary) {
		body = append(body, "")
	}
	return strings.Join(append(append(header, body...), footer...), "\n")
}

// frame is what home draws around its rows: the header, the selected lesson's
// summary, and the filter line and loading problems below.
func (h *home) frame() (header, summary, footer []string) {
	s, w := h.c.Styles, h.width
	header = []string{
		s.Title.Render("coreography") + s.Subtle.Render(" · concurrency vs parallelism, run for real"),
		"",
	}
	if sel := h.selected(); sel != nil && sel.lesson != nil && sel.lesson.Summary != "" {
		summary = []string{""}
		for _, l := range summaryLines(sel.lesson.Summary, w) {
			summary = append(summary, s.Subtitle.Render(l))
		}
	}
	if h.nav.Filtering || h.nav.Filter != "" {
		footer = append(footer, "", h.filter.View())
	}
	if len(h.notes) > 0 {
		more := ""
		if len(h.notes) > 1 {
			more = fmt.Sprintf(" (and %d more)", len(h.notes)-1)
		}
		footer = append(footer, s.Error.Render(common.TruncateLine("! "+h.notes[0]+more, w)))
	}
	return header, summary, footer
}

// rows is how many rows of the list fit.
func (h *home) rows() int {
	header, summary, footer := h.frame()
	return max(h.height-len(header)-len(summary)-len(footer), 1)
}

// layout gives the list the rows it can draw, no more than it has, after anything
// that moves the cursor or changes the room: the summary under the rows is the
// selected lesson's, so the room changes with the cursor.
func (h *home) layout() {
	if h.height > 0 {
		h.list.SetSize(h.width, max(min(h.rows(), len(h.list.VisibleItems())), 1))
	}
}

// selected is the row under the cursor; nil when no row is shown.
func (h *home) selected() *homeItem {
	if it, ok := h.list.SelectedItem().(homeItem); ok {
		return &it
	}
	return nil
}

// row draws one item: a marker, the title, and right-aligned minutes and status, which
// are words as well as colours so they read without colour.
func (h *home) row(it homeItem, selected bool, width int) string {
	s := h.c.Styles
	marker, title, right := common.GlyphNoCursor, "", ""
	if selected {
		marker = common.GlyphCursor
	}
	switch it.kind {
	case itemContinue:
		title = fmt.Sprintf("Continue: %s, step %d/%d", it.lesson.Title, it.step+1, len(it.lesson.Steps))
	case itemLab:
		title = "Lab: your own experiment"
	default:
		title = it.lesson.Title
		status := it.status.String()
		if it.score != "" && it.status == lessons.Done {
			status += " " + it.score // the predictions it got right: a quiz keeps its score
		}
		right = fmt.Sprintf("%2d min  %-11s", it.lesson.Minutes, status)
	}
	room := width - ansi.StringWidth(marker) - ansi.StringWidth(right) - 1
	if room < 8 { // too narrow for both: the title matters more
		right, room = "", width-ansi.StringWidth(marker)
	}
	title = common.TruncateLine(title, room)
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

// maxSummaryLines is how many lines the selected lesson's summary may wrap to: a
// summary is a sentence or two, and cut at one line it lost its point.
const maxSummaryLines = 3

func summaryLines(summary string, width int) []string {
	lines := common.WrapText(summary, width, "")
	if len(lines) > maxSummaryLines {
		lines = lines[:maxSummaryLines]
		lines[maxSummaryLines-1] = common.TruncateLine(lines[maxSummaryLines-1]+" "+common.GlyphEllipsis, width)
	}
	return lines
}
