package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/lessons"
	"github.com/coreography/coreography/ui/common"
	"github.com/coreography/coreography/ui/markdown"
	"github.com/coreography/coreography/ui/panel"
)

// lessonPlayer shows a lesson step by step: the step's Markdown above its experiment panel,
// a prediction asked before the run and judged after it against what was measured.
type lessonPlayer struct {
	c      *common.Common
	lesson *lessons.Lesson
	prog   *lessons.Progress
	writer *progressWriter // writes prog; nil: progress is not kept

	state  stepState
	choose key.Binding  // the step's choice keys: 1-3 for three choices
	memory []stepMemory // what the learner did on each step, so going back shows it
	panel  *panel.RunPanel

	md      markdown.Cache
	text    viewport.Model
	shown   string // the Markdown the viewport holds, before rendering
	unsaved bool   // progress changed since it was last written
	notice  string // one line under the prediction: a hint, a save or run error
	bad     bool   // notice is an error

	width, height int
	panelHeight   int
	reveal        int // first line of text a run just revealed, for layout to scroll to; -1: none

	class     *ClassInfo  // the class this player teaches; nil outside class mode
	notes     bool        // the presenter's speaker notes are shown
	loadErrs  []error     // the lesson file's problems, shown instead of it (open --watch)
	textGen   int         // counts the viewport's contents, for textCache
	textKey   textViewKey // what textCache was drawn from
	textCache string
}

// stepMemory is what happened on one step.
type stepMemory struct {
	chosen int                // -1 before the learner chose
	judged bool               // chosen, then measured
	ran    bool               // a run of this step finished
	values map[string]float64 // of the last finished run set (lessons.Measured)
	traces []*timeline.Trace  // that run set, shown again when the learner comes back
	stats  []timeline.Stats   // that run set's figures: a speed-up curve is drawn from them
	lanes  bool               // the learner asked for the lanes of a run set that draws a curve
	runErr error
	hint   hintState // the learner showed or hid the step's hints
	// refused are the stats of a run set not judged for being disturbed; caveat says
	// what a verdict stands on when it was judged anyway or on the reference run.
	refused []timeline.Stats
	caveat  string
}

func newLessonPlayer(c *common.Common, l *lessons.Lesson, step int, w *progressWriter) *lessonPlayer {
	p := &lessonPlayer{c: c, lesson: l, writer: w, panel: panel.NewRunPanel(c), memory: make([]stepMemory, len(l.Steps)), reveal: -1}
	for i := range p.memory {
		p.memory[i].chosen = -1
	}
	if w != nil {
		p.prog = w.prog
	}
	p.text = viewport.New()
	k := c.Keys.Player
	p.text.KeyMap = viewport.KeyMap{Up: k.ScrollUp, Down: k.ScrollDown, PageUp: k.PageUp, PageDown: k.PageDown}
	p.state = stepState{Steps: len(l.Steps), Chosen: -1}
	p.enter(min(max(step, 0), max(len(l.Steps)-1, 0)))
	return p
}

func (p *lessonPlayer) step() *lessons.Step {
	if p.state.Step < len(p.lesson.Steps) {
		return &p.lesson.Steps[p.state.Step]
	}
	return nil
}

// enter arrives at a step: restores what the learner did there, loads its runs into
// the panel and records that it was seen.
func (p *lessonPlayer) enter(i int) {
	p.state = enterStep(p.state, i)
	p.notice, p.bad = "", false
	st := p.step()
	if st == nil {
		return
	}
	mem := p.memory[i]
	p.state.HasExperiment = st.Experiment != nil && len(st.Experiment.Runs) > 0
	if st.Predict != nil && p.class == nil { // a teacher asks, the class answers
		p.state.Choices = min(len(st.Predict.Choices), 9)
	}
	p.choose = chooseKey(p.c.Keys.Player.Choose, p.state.Choices)
	p.state.Chosen, p.state.Judged = mem.chosen, mem.judged
	if p.state.HasExperiment {
		p.panel.SetRuns(st.Experiment.Runs)
		p.panel.SetFocus(st.Experiment.Focus)
		if mem.traces != nil {
			p.panel.ShowTraces(mem.traces)
		}
	}
	if p.class != nil {
		p.class.Room.Show(p.lesson, i)
	}
	if p.prog != nil {
		p.prog.Seen(p.lesson.ID, i)
		p.save()
	}
	p.refreshText(true)
}

// Stop ends a live run of the current step and waits until its workers are dead.
func (p *lessonPlayer) Stop() { p.panel.Stop() }

func (p *lessonPlayer) SetSize(width, height int) {
	p.width, p.height = width, height
	p.layout()
}

// layout splits the height: header, text, prediction, panel. The panel gets about half
// when the step runs something; the text scrolls in what is left.
func (p *lessonPlayer) layout() {
	if p.width <= 0 || p.height <= 0 {
		return
	}
	rest := max(p.height-p.headerHeight()-common.LineCount(p.predictView()), 0)
	p.text.SetWidth(p.width)
	// Content first, at the height the viewport has: setting content checks the
	// scroll position against the height, and a passing height would lose it.
	p.refreshText(false)
	textHeight := rest
	p.panelHeight = 0
	if p.state.HasExperiment {
		// The panel gets at least about half; the text keeps what it needs of the rest
		// (scrolling when it needs more) and the panel takes what the text leaves.
		least := max(min(rest*11/20, rest-3), min(rest, 8), p.comparisonRoom(rest))
		textHeight = min(p.text.TotalLineCount(), rest-least)
		p.panelHeight = rest - textHeight
	}
	p.text.SetHeight(textHeight)
	if p.reveal >= 0 {
		// A run revealed the rest of the step: show it from its first line, with one
		// line of what came before.
		p.text.SetYOffset(p.reveal - 1)
		p.reveal = -1
	} else if p.text.PastBottom() {
		p.text.GotoBottom()
	}
	p.panel.SetSize(p.width, p.panelHeight)
}

// refreshText renders the step's Markdown (cached per width) into the viewport.
// Before a run it shows the text up to the experiment; after one, all of it with the
// measured values filled in, the explanation and the script's notice.
func (p *lessonPlayer) refreshText(top bool) {
	st := p.step()
	if st == nil || p.width <= 0 {
		return
	}
	mem := p.memory[p.state.Step]
	text := st.Text
	if p.state.HasExperiment && !mem.ran && st.ExperimentAt > 0 && st.ExperimentAt <= len(text) {
		text = text[:st.ExperimentAt]
	}
	text = lessons.Fill(text, mem.values)
	if mem.ran {
		if !p.explainUnderQuestion() && st.Predict != nil && st.Predict.Explanation != "" {
			// Too short a screen to give it lines under the question: it closes the text.
			text += "\n\n**Why:** " + lessons.Fill(st.Predict.Explanation, mem.values)
		}
		if st.Experiment != nil && st.Experiment.Notice != "" {
			text += "\n\n> " + lessons.Fill(st.Experiment.Notice, mem.values)
		}
	}
	if text == p.shown && !top {
		// Same Markdown: only the width may have changed; keep the scroll position.
		p.setText(p.md.Render(text, p.width, markdown.ScreenLook(p.c.Styles)))
		return
	}
	grew := !top && strings.HasPrefix(text, p.shown) && p.shown != ""
	before := p.text.TotalLineCount()
	p.shown = text
	p.setText(p.md.Render(text, p.width, markdown.ScreenLook(p.c.Styles)))
	p.reveal = -1
	switch {
	case top:
		p.text.GotoTop()
	case grew:
		// The run revealed the rest of the step; layout scrolls to it once the
		// viewport has its height.
		p.reveal = before
	}
}

// update is Update before progress is saved.
func (p *lessonPlayer) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case progressSavedMsg:
		if msg.err != nil {
			p.notice, p.bad = "progress not saved: "+msg.err.Error(), true
			p.layout()
		}
		return nil
	case tea.BackgroundColorMsg:
		p.refreshText(false)
		return p.panel.Update(msg)
	case panel.RunsDoneMsg:
		if p.panel.Busy() {
			return nil // the end of a run this step already replaced
		}
		return p.apply(actRunDone, 0, msg)
	case tea.KeyPressMsg:
		if cmd, ok := p.disturbedKey(msg); ok {
			return cmd
		}
		if hk, ok := p.hintKey(); ok && key.Matches(msg, hk) {
			p.toggleHints()
			return nil
		}
		if p.hasCurve() && key.Matches(msg, p.c.Keys.Player.Curve) {
			p.memory[p.state.Step].lanes = !p.memory[p.state.Step].lanes
			return nil
		}
		if a, choice := playerAction(msg, p.c.Keys.Player); a != actNone {
			return p.apply(a, choice, panel.RunsDoneMsg{})
		}
		if k := p.c.Keys.Player; key.Matches(msg, k.ScrollUp, k.ScrollDown, k.PageUp, k.PageDown) {
			var cmd tea.Cmd
			p.text, cmd = p.text.Update(msg) // the viewport scrolls with its own key map
			return cmd
		}
	case tea.MouseWheelMsg:
		var cmd tea.Cmd
		p.text, cmd = p.text.Update(msg)
		return cmd
	}
	return p.panel.Update(msg)
}

// apply runs navigation and does what it says.
func (p *lessonPlayer) apply(a navAction, choice int, done panel.RunsDoneMsg) tea.Cmd {
	next, eff := navigate(p.state, a, choice)
	before := p.state
	p.state = next
	mem := &p.memory[p.state.Step]
	switch eff {
	case effStep:
		if before.Busy || p.panel.Busy() {
			p.panel.Stop()
		}
		p.enter(next.Step)
		p.layout()
	case effEnd:
		p.notice, p.bad = "That was the last step. esc: back to the lessons, q: quit.", false
		p.layout()
	case effChose:
		mem.chosen = next.Chosen
		p.notice = ""
		p.layout()
	case effNeedChoice:
		p.notice, p.bad = fmt.Sprintf("First, your prediction: press 1-%d.", p.state.Choices), true
		p.layout()
	case effRun:
		mem.judged = false
		p.notice = ""
		cmd := p.panel.Run()
		p.classRun(mem)
		p.layout() // a live panel may take more room than a ready one
		return cmd
	case effJudge:
		shown := p.judge(mem, done)
		p.classFinish(mem)
		p.layout()
		if st := p.step(); shown && st.Experiment.Replay != 0 {
			// Too short to follow live (disturbed or not): the lesson asked to see it again, slowly.
			return p.panel.ReplayAt(st.Experiment.Replay)
		}
	}
	return nil
}

func (p *lessonPlayer) ShortHelp() []key.Binding {
	k := p.c.Keys.Player
	var b []key.Binding
	if p.state.Choices > 0 && !p.state.Judged {
		b = append(b, p.choose)
	}
	if p.state.HasExperiment {
		b = append(append(b, k.Run), p.disturbedKeys()...)
	}
	b = append(b, k.Next, k.Prev)
	if hk, ok := p.hintKey(); ok {
		b = append(b, hk)
	}
	if p.hasCurve() {
		b = append(b, p.c.Keys.Player.Curve)
	}
	if p.textScrolls() {
		b = append(b, k.Scroll)
	}
	if p.state.HasExperiment {
		b = append(b, p.panel.ShortHelp()...)
	}
	return b
}

// textScrolls reports whether the step's text is taller than its room.
func (p *lessonPlayer) textScrolls() bool {
	return p.text.TotalLineCount() > p.text.Height()
}

// FullHelp lists every key that does something on this step: no choosing where
// nothing is asked, no run where nothing runs.
func (p *lessonPlayer) FullHelp() [][]key.Binding {
	k := p.c.Keys.Player
	step := []key.Binding{k.Next, k.Prev}
	if p.state.Choices > 0 {
		step = append(step, p.choose)
	}
	if p.state.HasExperiment {
		step = append(step, k.Run)
	}
	if hk, ok := p.hintKey(); ok {
		step = append(step, hk)
	}
	groups := [][]key.Binding{append(step, k.Scroll)}
	if p.state.HasExperiment {
		groups = append(groups, p.panel.FullHelp()...)
	}
	return groups
}

func (p *lessonPlayer) View() string {
	if p.width <= 0 || p.height <= 0 {
		return ""
	}
	if len(p.loadErrs) > 0 {
		return p.loadErrsView()
	}
	if len(p.lesson.Steps) == 0 {
		return p.c.Styles.Error.Render(common.TruncateLine(p.lesson.Title+": this lesson has no steps", p.width))
	}
	parts := append([]string{p.header()}, p.classStrip()...)
	if p.c.Present {
		parts = append(parts, "")
	}
	if p.text.Height() > 0 {
		parts = append(parts, p.textView())
	}
	if pv := p.predictView(); pv != "" {
		parts = append(parts, pv)
	}
	if curve := p.curveView(); curve != "" {
		parts = append(parts, curve)
	} else if p.panelHeight > 0 {
		parts = append(parts, p.panel.View())
	}
	return strings.Join(parts, "\n")
}
