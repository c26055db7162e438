package ui

import (
	"fmt"
	"runtime"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
	"github.com/coreography/coreography/ui/panel"
	uitimeline "github.com/coreography/coreography/ui/timeline"
)

// Lab is the free-play screen: change the spec with a key, run it, keep the last few
// runs and compare two on one time axis.
type Lab struct {
	c             *common.Common
	spec          experiment.Spec
	mix           int // index into labMixes; -1: the tasks the lab was opened with
	panel         *panel.RunPanel
	recent        []labRun // newest last
	compare       bool
	curve         bool            // show the recent runs' speed-up curve instead of the panel
	ran           experiment.Spec // what the running or last run ran
	note          string          // why the last spec key changed nothing; "" when it did
	width, height int

	specKey   string   // what specCache was drawn from: View runs every frame
	specCache []string //

	recentKey   recentKey // what recentCache was drawn from
	recentCache []string
}

// recentKey is what the recent runs' lines are drawn from.
type recentKey struct {
	runs   int
	newest *timeline.Trace
	width  int
	gen    uint64
}

// labRun is one finished run the lab keeps.
type labRun struct {
	spec  experiment.Spec
	trace *timeline.Trace
	stats timeline.Stats
}

// keepRuns is how many recent runs the lab keeps and lists.
const keepRuns = 4

// labMixes are the task mixes t cycles through: what each model is good and bad at.
var labMixes = []struct{ name, tasks string }{
	{"cpu", "8*cpu(100ms)"},
	{"io", "8*io(100ms)"},
	{"http", "16*http(50ms)"},
	{"mixed", "4*[io(20ms) cpu(50ms) io(20ms)]"},
	{"tiny", "200*cpu(1ms)"},
}

// NewLab opens the lab on spec.
func NewLab(c *common.Common, spec experiment.Spec) *Lab {
	l := &Lab{c: c, spec: spec, mix: -1, panel: panel.NewRunPanel(c)}
	if spec.Tasks.Count() == 0 {
		l.spec.Tasks, _ = experiment.ParseTasks(labMixes[0].tasks)
	}
	// Tasks that are one of the mixes are named so, and t goes on from there.
	for i, m := range labMixes {
		if mt, err := experiment.ParseTasks(m.tasks); err == nil && mt.String() == l.spec.Tasks.String() {
			l.mix = i
		}
	}
	if l.spec.Model == "" {
		l.spec.Model = experiment.Threads
	}
	l.panel.SetRuns([]experiment.Spec{l.spec})
	return l
}

// Init starts nothing: the learner presses r.
func (l *Lab) Init() tea.Cmd { return nil }

// Update edits the spec, runs it, and passes the panel its messages.
func (l *Lab) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case panel.RunsDoneMsg:
		l.keep(msg)
		return nil
	case tea.KeyPressMsg:
		if cmd, ok := l.key(msg); ok {
			return cmd
		}
	}
	return l.panel.Update(msg)
}

// key handles the lab's own keys; ok is false for keys the panel may want.
func (l *Lab) key(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := l.c.Keys.Lab
	switch {
	case key.Matches(msg, k.Run):
		return l.run(), true
	case key.Matches(msg, k.Compare):
		l.compare = !l.compare
		l.showRecent()
		return nil, true
	case key.Matches(msg, k.Beside):
		cmd := l.runBeside()
		l.setNote(unchangedNote(k, msg, l.spec, cmd == nil && !l.panel.Busy()))
		return cmd, true
	case key.Matches(msg, k.Curve):
		l.curve = !l.curve
		return nil, true
	}
	handled, changed := l.edit(msg)
	l.setNote(unchangedNote(l.c.Keys.Lab, msg, l.spec, handled && !changed))
	if !handled || !changed {
		return nil, handled
	}
	if !l.panel.Busy() && !l.compare {
		// Nothing to lose on screen: show the edited spec ready to run. Past runs
		// stay listed and comparable.
		l.panel.SetRuns([]experiment.Spec{l.spec})
		l.panel.SetSize(l.panelSize())
	}
	return nil, true
}

// setNote shows note above the panel, or none when it is empty.
func (l *Lab) setNote(note string) {
	if note != l.note {
		l.note = note // a line above the panel comes or goes: the panel's room changes
		l.panel.SetSize(l.panelSize())
	}
}

// run runs the spec as edited, when it is valid.
func (l *Lab) run() tea.Cmd {
	if l.spec.Validate() != nil {
		return nil
	}
	l.compare = false
	l.ran = panel.KnobsNamed(l.spec)
	l.panel.SetRuns([]experiment.Spec{l.ran})
	l.panel.SetSize(l.panelSize())
	return l.panel.Run()
}

// runBeside runs the spec and, after it, the same spec on its counterpart (gil beside
// py-threads, processes beside py-processes), drawn on one time axis.
func (l *Lab) runBeside() tea.Cmd {
	other := l.spec.Model.Counterpart()
	if other == "" || l.spec.Validate() != nil || l.panel.Busy() {
		return nil
	}
	pair := l.spec.WithModel(other)
	pair.Workers = l.spec.Workers
	if other.OneWorker() {
		pair.Workers = 0
	}
	if pair.Validate() != nil {
		return nil
	}
	l.compare = false
	l.ran = l.spec
	l.panel.SetRuns([]experiment.Spec{l.spec, pair})
	l.panel.SetSize(l.panelSize())
	return l.panel.Run()
}

// keep lists a finished run among the recent ones.
func (l *Lab) keep(msg panel.RunsDoneMsg) {
	if traces := l.panel.Traces(); msg.Err != nil || len(traces) != 1 || len(msg.Stats) != 1 {
		return
	}
	l.recent = append(l.recent, labRun{spec: l.ran, trace: l.panel.Traces()[0], stats: msg.Stats[0]})
	if len(l.recent) > keepRuns {
		l.recent = l.recent[len(l.recent)-keepRuns:]
	}
}

// showRecent shows the last two runs on one axis when comparing, else the last run.
func (l *Lab) showRecent() {
	if l.panel.Busy() {
		return
	}
	n := len(l.recent)
	switch {
	case l.compare && n >= 2:
		a, b := l.recent[n-2], l.recent[n-1]
		l.panel.ShowNamed(panel.CompareTitle(a.spec, b.spec), []*timeline.Trace{a.trace, b.trace})
	case n >= 1:
		l.panel.ShowNamed("last run: "+panel.RunTitle(l.recent[n-1].spec), []*timeline.Trace{l.recent[n-1].trace})
	}
	l.panel.SetSize(l.panelSize())
}

// nextCores is what c sets: on this machine 0 (all), 1, 2, … its cores; on the model
// machine 0, 1, 2, 4, … up to MaxSimCores, so 64 cores is a few presses away.
func nextCores(s experiment.Spec) int {
	if !s.Sim {
		return (s.Cores + 1) % (runtime.NumCPU() + 1)
	}
	if s.Cores == 0 {
		return 1
	}
	if next := s.Cores * 2; next <= experiment.MaxSimCores {
		return next
	}
	return 0
}

func nextModel(m experiment.Model) experiment.Model {
	for i, x := range experiment.Models {
		if x == m {
			return experiment.Models[(i+1)%len(experiment.Models)]
		}
	}
	return experiment.Models[0]
}

// SetSize lays the lab out for width × height.
func (l *Lab) SetSize(width, height int) {
	l.width, l.height = width, height
	l.panel.SetSize(l.panelSize())
}

// specLines are the lines above the panel: the spec as the keys edit it (each field
// with the keys that change it), and what is wrong with it.
func (l *Lab) specLines(width int) []string {
	st, k, spec := l.c.Styles, l.c.Keys.Lab, l.spec
	cores := "all"
	if spec.Cores > 0 {
		cores = fmt.Sprint(spec.Cores)
	}
	mix := "custom"
	if l.mix >= 0 {
		mix = labMixes[l.mix].name
	}
	field := func(name, value, keys string) string {
		return st.Subtle.Render(name) + " " + st.Header.Render(value) + st.Subtle.Render(" "+keys)
	}
	lines := []string{
		st.Accent.Render("Lab") + "  " + field("model", string(spec.Model), common.HelpKey(k.Model)) +
			"  " + field("workers", fmt.Sprint(spec.Normalized().Workers), common.HelpKey(k.MoreWorkers)+"/"+common.HelpKey(k.FewerWorkers)) +
			"  " + field("cores", cores, common.HelpKey(k.Cores)) + "  " + field("machine", machine(spec), common.HelpKey(k.Sim)),
		field("tasks", spec.Tasks.String(), common.HelpKey(k.TaskMix)+" "+mix+", "+common.HelpKey(k.Smaller)+" "+common.HelpKey(k.Bigger)+" size, "+common.HelpKey(k.Payload)+" payload"),
	}
	lines = placeKnobs(lines, l.knobs(field), width)
	if l.note != "" {
		lines = append(lines, st.Subtle.Render(l.note))
	}
	if err := spec.Validate(); err != nil {
		for _, e := range experiment.Errors(err) {
			lines = append(lines, st.Error.Render(common.GlyphWrong+" "+common.OneLine(e.Error())))
		}
	}
	for i := range lines {
		lines[i] = common.TruncateLine(lines[i], width)
	}
	return lines
}

// specLinesKey is everything specLines draws from, in one comparable string.
func (l *Lab) specLinesKey(width int) string {
	s := l.spec
	tasks := s.Tasks.String()
	s.Tasks = experiment.Tasks{}
	// Every field, not the spec's String, which leaves the switch interval out.
	type fields experiment.Spec
	return fmt.Sprintf("%+v\x00%s\x00%s\x00%d %d %d", fields(s), tasks, l.note, l.mix, width, l.c.Styles.Gen())
}

// recentShown is how many lines the recent runs take: a heading and the newest two.
const recentShown = 3

// recentLines list the newest kept runs with their headline figures, under a heading.
// View runs every frame and they change only when a run ends, so they are drawn then.
func (l *Lab) recentLines(width int) []string {
	if len(l.recent) == 0 {
		return nil
	}
	key := recentKey{len(l.recent), l.recent[len(l.recent)-1].trace, width, l.c.Styles.Gen()}
	if key == l.recentKey {
		return l.recentCache
	}
	head := "recent runs"
	if len(l.recent) >= 2 {
		head += " · " + common.HelpKey(l.c.Keys.Lab.Compare) + " compares the last two"
	}
	lines := []string{l.c.Styles.Subtle.Render(head)}
	for i := len(l.recent) - 1; i >= 0 && len(lines) < recentShown; i-- {
		r := l.recent[i]
		lines = append(lines, common.TruncateLine(fmt.Sprintf("%s%s · %s", panel.RunTitle(r.spec), disturbedTag(r.stats), uitimeline.Headline(r.stats)), width))
	}
	l.recentKey, l.recentCache = key, lines
	return lines
}

func (l *Lab) panelSize() (int, int) {
	w := max(l.width, 20)
	h := l.height - len(l.specLines(w)) - len(l.recentLines(w))
	return w, max(h, 6)
}

// View draws the lab.
func (l *Lab) View() string {
	w := max(l.width, 20)
	if key := l.specLinesKey(w); key != l.specKey {
		l.specKey, l.specCache = key, l.specLines(w)
	}
	lines := append([]string(nil), l.specCache...)
	lines = append(lines, l.curveOrPanel(w))
	lines = append(lines, l.recentLines(w)...)
	out := strings.Join(lines, "\n")
	if l.height > 0 {
		out = common.FitText(out, w, l.height, common.GlyphEllipsis, false)
	}
	return out
}

// ShortHelp lists the keys that matter most now.
func (l *Lab) ShortHelp() []key.Binding {
	k := l.c.Keys.Lab
	if l.panel.Busy() {
		return append([]key.Binding{k.Run}, l.panel.ShortHelp()...)
	}
	b := []key.Binding{k.Run, k.Model, k.MoreWorkers, k.FewerWorkers, k.Cores, k.TaskMix, k.Sim}
	if len(l.recent) >= 2 {
		b = append(b, k.Compare)
	}
	return append(b, l.panel.ShortHelp()...)
}

// FullHelp lists every lab key.
func (l *Lab) FullHelp() [][]key.Binding {
	k := l.c.Keys.Lab
	return append([][]key.Binding{
		{k.Run, k.Compare, k.Curve, k.Beside},
		{k.Model, k.MoreWorkers, k.FewerWorkers, k.Cores, k.TaskMix, k.Bigger, k.Smaller, k.Payload, k.ChunkSize, k.SwitchInterval, k.Sim},
	}, l.panel.FullHelp()...)
}

// Stop ends a live run, as when the learner leaves the lab.
func (l *Lab) Stop() { l.panel.Stop() }

// machine names where the spec runs: here, or sim's model machine and its profile.
func machine(s experiment.Spec) string {
	if !s.Sim {
		return "real"
	}
	return "SIMULATED · " + s.Normalized().Profile
}

// curveOrPanel is the panel, or with a the speed-up curve of the recent runs (run the
// same tasks on 1, 2, 4… workers, real or simulated, and watch Amdahl's law appear).
func (l *Lab) curveOrPanel(width int) string {
	if !l.curve {
		return l.panel.View()
	}
	stats := make([]timeline.Stats, len(l.recent))
	for i, r := range l.recent {
		stats[i] = r.stats
	}
	if plot := uitimeline.SpeedupPlot(stats, width, false); plot != "" { // glyphs, not colours: they read on any terminal
		return strings.TrimRight(plot, "\n")
	}
	return l.c.Styles.Subtle.Render(fmt.Sprintf("The curve needs recent runs on %d or more worker counts: change workers (%s/%s) and run (%s).",
		uitimeline.SpeedupPlotMin, common.HelpKey(l.c.Keys.Lab.MoreWorkers), common.HelpKey(l.c.Keys.Lab.FewerWorkers), common.HelpKey(l.c.Keys.Lab.Run)))
}
