package ui

import (
	"os"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/ui/common"
	"github.com/coreography/coreography/ui/panel"
)

// WatchOptions open the watch screen: a command the user typed (never a lesson's),
// run once by the app's Runner, which ignores the spec and watches that command.
type WatchOptions struct {
	Command string // as typed, for the title
	LogPath string // where the command's stdout and stderr go
}

// Watch is the screen of `coreography watch`: the command's threads on the cores,
// live, and on o the end of its output log instead.
type Watch struct {
	c             *common.Common
	panel         *panel.RunPanel
	opt           WatchOptions
	showLog       bool
	width, height int
}

// logKey toggles the command's output.
var logKey = key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "output log"))

// NewWatch makes the watch screen; Init starts the command.
func NewWatch(c *common.Common, opt WatchOptions) *Watch {
	w := &Watch{c: c, panel: panel.NewRunPanel(c), opt: opt}
	w.panel.SetRuns([]experiment.Spec{{Name: "watch: " + opt.Command, Model: "watch", Workers: 1}})
	return w
}

// Init starts the watched command.
func (w *Watch) Init() tea.Cmd { return w.panel.Run() }

// Update toggles the log and passes the panel everything else, except r: the command
// runs once, as typed.
func (w *Watch) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, logKey):
			w.showLog = !w.showLog
			return nil
		case key.Matches(k, w.c.Keys.Lab.Run):
			return nil
		}
	}
	return w.panel.Update(msg)
}

// SetSize lays the screen out for width × height.
func (w *Watch) SetSize(width, height int) {
	w.width, w.height = width, height
	w.panel.SetSize(width, height)
}

// View draws the panel, or the end of the log. The log is read here, at most a few
// KB from its end, only while the learner asked to see it.
func (w *Watch) View() string {
	if !w.showLog {
		return w.panel.View()
	}
	lines := []string{common.TruncateLine("output of "+w.opt.Command+" · "+w.opt.LogPath, max(w.width, 20))}
	for _, l := range logTail(w.opt.LogPath, max(w.height-1, 1)) {
		lines = append(lines, common.TruncateLine(common.OneLine(l), max(w.width, 20)))
	}
	return strings.Join(lines, "\n")
}

// logTail is the last n lines of the file at path, read from its last 16 KB.
func logTail(path string, n int) []string {
	f, err := os.Open(path)
	if err != nil {
		return []string{err.Error()}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return []string{err.Error()}
	}
	from := max(st.Size()-16<<10, 0)
	buf := make([]byte, st.Size()-from)
	m, _ := f.ReadAt(buf, from)
	lines := strings.Split(strings.TrimRight(string(buf[:m]), "\n"), "\n")
	return lines[max(len(lines)-n, 0):]
}

// ShortHelp lists the watch screen's keys.
func (w *Watch) ShortHelp() []key.Binding {
	return append([]key.Binding{logKey}, w.panel.ShortHelp()...)
}

// FullHelp lists every watch key.
func (w *Watch) FullHelp() [][]key.Binding {
	return append([][]key.Binding{{logKey}}, w.panel.FullHelp()...)
}

// Stop ends the watched command, as when the app quits.
func (w *Watch) Stop() { w.panel.Stop() }
