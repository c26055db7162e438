// Package ui is coreography's Bubble Tea app: the root model and its screens (home,
// the lesson player, the lab, replay and watch), built from the packages beside it.
package ui

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/lessons"
	"github.com/coreography/coreography/ui/common"
)

// Screen is a full-window component the root model shows. Children return strings;
// only App returns a tea.View.
type Screen interface {
	common.Component
	Init() tea.Cmd
	Update(tea.Msg) tea.Cmd
}

// stopper is a screen that may own a live run: the app stops it before leaving the
// screen or quitting. Stop cancels the run and returns at once; the live-runs
// registry waits for the engines when the program exits (App.Shutdown).
type stopper interface{ Stop() }

// textTaker is a screen that is taking typed text right now (a filter): q and ? are
// letters then, not commands.
type textTaker interface{ TakingText() bool }

// Messages screens send to move between screens.
type (
	openLessonMsg struct {
		lesson *lessons.Lesson
		step   int
	}
	openLabMsg struct{}
	backMsg    struct{} // back to home
)

// AppOptions say what the app opens with and what it has to work with.
type AppOptions struct {
	Runner  experiment.Runner
	Present bool            // projector: roomy, high contrast, step counter, no help bar
	Flushes *common.Flushes // told of each write to the screen, if the program's output does

	Catalog     *lessons.Catalog
	CatalogErrs []error // broken user lesson files: shown on home, never fatal
	Progress    *lessons.Progress
	ProgressErr error // a progress file that could not be read (set aside)

	LabSpec experiment.Spec // what the lab opens with

	// At most one of these picks the first screen; none opens home.
	Lesson     *lessons.Lesson
	LessonStep int
	LessonErrs []error // Lesson's file has these problems: shown until a save fixes them (open --watch)
	Lab        bool
	Replay     *timeline.Trace
	Watch      *WatchOptions // watch a command; Runner runs it

	Class *ClassInfo // teach this class: the player sends it steps and runs, and shows its strip
	Notes bool       // show the lessons' speaker notes (a presenter's, or a class's teacher)

	References common.References // the lessons' reference runs, for a run that stays disturbed; nil: none
}

// stopTimeout bounds how long quitting waits for engines to wind down; the
// engines promise to return promptly on cancel, this is only a guard.
const stopTimeout = 5 * time.Second

// App is the root model: it owns the shared Common, switches screens and draws the
// help bar. Nothing it does in Update waits for an engine: leaving a screen or
// quitting cancels runs, and Shutdown, once the program has ended, waits for them.
type App struct {
	common   *common.Common
	opt      AppOptions
	runs     *liveRuns
	progress *progressWriter // the learner's progress, written off the update loop
	screen   Screen
	home     *home // kept so going back keeps the cursor and filter
	help     help.Model
	width    int
	height   int
	quitting bool

	interrupted bool // quit with ctrl+c: the command exits 130

	helpKey, helpText string // the help bar as last drawn, and what it was drawn from
}

// NewApp makes the root model.
func NewApp(opt AppOptions) *App {
	runs := newLiveRuns(opt.Runner)
	theme := common.Theme{Dark: true, HighContrast: opt.Present}
	a := &App{
		common: &common.Common{Styles: common.NewStyles(theme), Theme: theme, Keys: common.DefaultKeyMap(), Present: opt.Present, Runner: runs,
			Flushes: opt.Flushes, References: opt.References},
		opt:      opt,
		runs:     runs,
		progress: newProgressWriter(opt.Progress),
		help:     help.New(),
	}
	a.setHelpStyles()
	switch {
	case opt.Lesson != nil:
		p := a.player(opt.Lesson, opt.LessonStep)
		p.loadErrs = opt.LessonErrs
		a.screen = p
	case opt.Lab:
		a.screen = NewLab(a.common, opt.LabSpec)
	case opt.Replay != nil:
		a.screen = NewReplay(a.common, opt.Replay)
	case opt.Watch != nil:
		a.screen = NewWatch(a.common, *opt.Watch)
	default:
		a.screen = a.homeScreen()
	}
	return a
}

func (a *App) homeScreen() *home {
	if a.home == nil {
		var notes []string
		for _, err := range a.opt.CatalogErrs {
			notes = append(notes, err.Error())
		}
		if a.opt.ProgressErr != nil {
			notes = append(notes, a.opt.ProgressErr.Error())
		}
		a.home = newHome(a.common, a.opt.Catalog, a.opt.Progress, notes)
	} else {
		a.home.Refresh()
	}
	return a.home
}

// Init asks the terminal for its background so the styles suit it. Bubble Tea calls
// it just after starting the renderer's clock, which the panels' frames keep in step
// with.
func (a *App) Init() tea.Cmd {
	a.common.FrameEpoch = time.Now()
	return tea.Batch(tea.RequestBackgroundColor, a.screen.Init())
}

// Update handles what is the app's (size, theme, help, quitting, switching screens) and
// hands everything else to the current screen.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.width, a.height = msg.Width, msg.Height
		a.layout()
		return a, nil
	case tea.BackgroundColorMsg:
		a.setTheme(msg.IsDark())
		return a, a.screen.Update(msg)
	case tea.KeyPressMsg:
		if cmd, done := a.globalKey(msg); done {
			return a, cmd
		}
	case openLessonMsg:
		return a, a.switchTo(a.player(msg.lesson, msg.step))
	case openLabMsg:
		return a, a.switchTo(NewLab(a.common, a.opt.LabSpec))
	case backMsg:
		return a, a.switchTo(a.homeScreen())
	}
	return a, a.screen.Update(msg)
}

// globalKey handles the keys that work on every screen; done is false for keys the
// screen should see.
func (a *App) globalKey(msg tea.KeyPressMsg) (cmd tea.Cmd, done bool) {
	k := a.common.Keys.Global
	typing := false
	if t, ok := a.screen.(textTaker); ok {
		typing = t.TakingText()
	}
	switch {
	case key.Matches(msg, k.ForceQuit):
		a.interrupted = true // an interrupt, as in a shell: the command exits 130
		return a.quit(), true
	case typing:
		return nil, false
	case key.Matches(msg, k.Quit):
		return a.quit(), true
	case key.Matches(msg, k.Help):
		a.help.ShowAll = !a.help.ShowAll
		a.layout()
		return nil, true
	case key.Matches(msg, k.Back) && Screen(a.screen) != Screen(a.home):
		return a.switchTo(a.homeScreen()), true
	}
	return nil, false
}

// switchTo leaves the current screen (cancelling its run) and shows next.
func (a *App) switchTo(next Screen) tea.Cmd {
	if s, ok := a.screen.(stopper); ok && a.screen != next {
		s.Stop()
	}
	a.screen = next
	a.layout()
	return next.Init()
}

// quit cancels every live run and refuses new ones, without waiting, and ends the
// program; Shutdown does the waiting once the program has returned.
func (a *App) quit() tea.Cmd {
	a.cancelRuns()
	a.quitting = true
	return tea.Quit
}

// Interrupted reports whether the learner quit with ctrl+c rather than q.
func (a *App) Interrupted() bool { return a.interrupted }

// cancelRuns stops the current screen's run and cancels every other live run; the
// engines wind down on their own.
func (a *App) cancelRuns() {
	if s, ok := a.screen.(stopper); ok {
		s.Stop()
	}
	a.runs.CancelAll()
}

// Shutdown is the one place that waits for engines: it cancels every live run and
// waits, stopTimeout at most, until each engine's Run has returned (its workers and
// processes are gone). The command calls it after the program ends, whatever ended
// it (q, ctrl+c, SIGTERM, SIGHUP), so no worker outlives the app. It reports whether
// every engine returned in time. Call it only once Bubble Tea's program has
// returned: the screen is the program's to touch until then.
func (a *App) Shutdown() bool {
	a.cancelRuns()
	stopped := a.runs.Wait(stopTimeout)
	if err := a.progress.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "coreography: progress not saved:", err)
	}
	return stopped
}

func (a *App) setTheme(dark bool) {
	a.common.Theme.Dark = dark
	*a.common.Styles = *common.NewStyles(a.common.Theme)
	a.setHelpStyles()
	a.layout()
}

func (a *App) setHelpStyles() {
	s := a.common.Styles
	a.help.Styles = help.Styles{
		ShortKey: s.Accent, ShortDesc: s.HelpBar, ShortSeparator: s.Subtle, Ellipsis: s.Subtle,
		FullKey: s.Accent, FullDesc: s.HelpBar, FullSeparator: s.Subtle,
	}
}

// margins are the blank columns and rows around the screen: roomier on a projector.
func (a *App) margins() (cols, rows int) {
	if a.common.Present && a.width >= 100 && a.height >= 30 {
		return 2, 1
	}
	return 0, 0
}

// layout gives the screen the window minus margins and the help bar.
func (a *App) layout() {
	if a.width == 0 || a.height == 0 {
		return
	}
	cols, rows := a.margins()
	a.help.SetWidth(a.width - 2*cols)
	w := a.width - 2*cols
	h := a.height - 2*rows - a.helpHeight() - common.LineCount(a.classBanner())
	a.common.Width, a.common.Height = max(w, 1), max(h, 1)
	a.screen.SetSize(a.common.Width, a.common.Height)
}

func (a *App) helpHeight() int {
	if !a.showsHelp() {
		return 0
	}
	return lipgloss.Height(a.helpView())
}

// showsHelp reports whether the help is drawn: always, except that a projector shows
// no help bar, only the full help while the presenter asks for it with ?.
func (a *App) showsHelp() bool {
	return !a.common.Present || a.help.ShowAll
}

// helpView is the help bar. View runs every frame while a run is live, and rendering
// the bar (a lipgloss style per key) cost as much as drawing the run panel, so it is
// drawn again only when its keys, their help, the width or the styles change.
func (a *App) helpView() string {
	keys := appKeys{a.screen, a.common.Keys.Global, Screen(a.screen) != Screen(a.home)}
	sig := helpSignature(keys, a.help.ShowAll, a.help.Width(), a.common.Styles.Gen())
	if sig != a.helpKey {
		a.helpKey, a.helpText = sig, a.help.View(keys)
	}
	return a.helpText
}

// helpSignature is everything the help bar is drawn from, in one comparable string.
func helpSignature(k appKeys, all bool, width int, gen uint64) string {
	// Built on every frame, so by appends rather than fmt.
	b := make([]byte, 0, 256)
	b = strconv.AppendBool(b, all)
	b = strconv.AppendInt(append(b, ' '), int64(width), 10)
	b = strconv.AppendUint(append(b, ' '), gen, 10)
	add := func(keys []key.Binding) {
		for _, kb := range keys {
			h := kb.Help()
			b = strconv.AppendBool(append(b, 0), kb.Enabled())
			b = append(append(append(append(b, 1), h.Key...), 1), h.Desc...)
		}
		b = append(b, '\n')
	}
	if all {
		for _, group := range k.FullHelp() {
			add(group)
		}
	} else {
		add(k.ShortHelp())
	}
	return string(b)
}

// View draws the screen and, below it, the help bar built from the screen's own keys.
func (a *App) View() tea.View {
	var v tea.View
	v.AltScreen = true
	v.WindowTitle = "coreography"
	if a.quitting || a.width == 0 {
		return v
	}
	cols, rows := a.margins()
	body := common.FitText(a.screen.View(), a.common.Width, a.common.Height, "", true)
	if banner := a.classBanner(); banner != "" {
		body += "\n" + banner
	}
	if a.showsHelp() {
		body += "\n" + a.helpView()
	}
	if cols > 0 || rows > 0 {
		body = lipgloss.NewStyle().Padding(rows, cols).Render(body)
	}
	v.SetContent(common.FitText(body, a.width, a.height, "", true))
	return v
}

// appKeys is the help bar's key map: the screen's keys, then the ones that work
// everywhere.
type appKeys struct {
	screen Screen
	keys   common.GlobalKeys
	back   bool
}

func (k appKeys) global() []key.Binding {
	if t, ok := k.screen.(textTaker); ok && t.TakingText() {
		return []key.Binding{k.keys.ForceQuit}
	}
	g := []key.Binding{k.keys.Help, k.keys.Quit}
	if k.back {
		g = append(g, k.keys.Back)
	}
	return g
}

func (k appKeys) ShortHelp() []key.Binding {
	return append(k.screen.ShortHelp(), k.global()...)
}

func (k appKeys) FullHelp() [][]key.Binding {
	return append(k.screen.FullHelp(), k.global())
}
