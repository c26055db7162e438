package ui

import (
	"os"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/termsafe"
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
	log           []string // the log's last lines, as last read
	logGen        int      // tells the reads for this showing of the log from older ones
	width, height int
}

// logMsg is the end of the log, read off the update loop.
type logMsg struct {
	gen   int
	lines []string
}

// logRefresh is how often the log is read again while it is shown: the command
// keeps writing to it.
const logRefresh = 500 * time.Millisecond

// logLines is how many of the log's last lines are kept: more than a screen shows.
const logLines = 200

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
	switch msg := msg.(type) {
	case logMsg:
		if msg.gen != w.logGen || !w.showLog {
			return nil // the log was hidden since: the reads stop
		}
		w.log = msg.lines
		return w.readLog(logRefresh)
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, logKey) && w.opt.LogPath != "": // attached (-p): no output of ours
			w.showLog = !w.showLog
			w.logGen++
			if w.showLog {
				return w.readLog(0)
			}
			return nil
		case key.Matches(msg, w.c.Keys.Lab.Run):
			return nil
		}
	}
	return w.panel.Update(msg)
}

// readLog reads the end of the log after a pause, in a command: reading a file is
// I/O, which Update and View never do.
func (w *Watch) readLog(after time.Duration) tea.Cmd {
	path, gen := w.opt.LogPath, w.logGen
	read := func() tea.Msg { return logMsg{gen: gen, lines: logTail(path, logLines)} }
	if after <= 0 {
		return read
	}
	return tea.Tick(after, func(time.Time) tea.Msg { return read() })
}

// SetSize lays the screen out for width × height.
func (w *Watch) SetSize(width, height int) {
	w.width, w.height = width, height
	w.panel.SetSize(width, height)
}

// View draws the panel, or the end of the log as last read.
func (w *Watch) View() string {
	if !w.showLog {
		return w.panel.View()
	}
	lines := []string{common.TruncateLine("output of "+w.opt.Command+" · "+w.opt.LogPath, max(w.width, 20))}
	for _, l := range w.log[max(len(w.log)-max(w.height-1, 1), 0):] {
		// The program's own output: its escape sequences are not the terminal's business.
		lines = append(lines, common.TruncateLine(common.OneLine(termsafe.Strip(l)), max(w.width, 20)))
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
	if w.opt.LogPath == "" {
		return w.panel.ShortHelp()
	}
	return append([]key.Binding{logKey}, w.panel.ShortHelp()...)
}

// FullHelp lists every watch key.
func (w *Watch) FullHelp() [][]key.Binding {
	if w.opt.LogPath == "" {
		return w.panel.FullHelp()
	}
	return append([][]key.Binding{{logKey}}, w.panel.FullHelp()...)
}

// Stop ends the watched command, as when the app quits.
func (w *Watch) Stop() { w.panel.Stop() }
