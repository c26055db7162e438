package common

import "charm.land/bubbles/v2/key"

// KeyMap is every key the app answers to, in one place and grouped by the screen that
// answers, so a letter used twice is in plain sight ("c" continues on home and
// changes cores in the lab: different screens, never both at once). Help bars are
// built from these bindings; where a screen needs other help text it copies a binding
// and sets it once, never while help is drawn.
type KeyMap struct {
	Global GlobalKeys
	Home   HomeKeys
	Player PlayerKeys
	Panel  PanelKeys // the run panel, in the player, the lab and replay
	Lab    LabKeys
}

// GlobalKeys work on every screen.
type GlobalKeys struct {
	Help, Quit, Back key.Binding
	// ForceQuit quits even while a screen takes typed text, where q is a letter.
	ForceQuit key.Binding
}

// HomeKeys move through the lessons and open one.
type HomeKeys struct {
	Up, Down, Open, Filter, Continue, Lab key.Binding
	// ClearFilter is Back while a filter is typed or shown.
	ClearFilter key.Binding
	// DeleteChar takes the last letter off the filter.
	DeleteChar key.Binding
}

// PlayerKeys step through a lesson and scroll its text.
type PlayerKeys struct {
	Next, Prev, Choose, Run key.Binding
	// Reveal closes a class's vote and shows its tally on every screen.
	Reveal key.Binding
	// Hint shows or hides the step's hints.
	Hint key.Binding
	// Curve switches a finished run set over several worker counts between its
	// speed-up curve and its lanes.
	Curve key.Binding
	// JudgeAnyway judges a run that stayed disturbed, its verdict marked so; Reference
	// shows and judges the lesson's reference run instead.
	JudgeAnyway, Reference key.Binding
	// The step's text scrolls with these (the viewport's own key map); Scroll is
	// all of them as one help entry.
	ScrollUp, ScrollDown, PageUp, PageDown, Scroll key.Binding
}

// PanelKeys look at a run: pause, zoom, pan, lanes and replay.
type PanelKeys struct {
	Pause, ZoomIn, ZoomOut, PanLeft, PanRight, Lanes, Focus, Speed, Replay key.Binding
	// Start and End jump to the start and end of the run (or replay).
	Start, End key.Binding
}

// LabKeys edit and run the lab's experiment.
type LabKeys struct {
	Run, Model, MoreWorkers, FewerWorkers, Cores, TaskMix, Bigger, Smaller, Compare, Sim, Curve, Beside key.Binding
	// ChunkSize, SwitchInterval and Payload cycle through values that show
	// something: chunks for process pools, switch intervals for a GIL.
	ChunkSize, SwitchInterval, Payload key.Binding
}

// DefaultKeyMap is the key map the app ships with.
func DefaultKeyMap() KeyMap {
	k := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	back := k("esc", "back", "esc")
	clearFilter := back
	clearFilter.SetHelp("esc", "clear filter")
	run := k("r", "run", "r")
	return KeyMap{
		Global: GlobalKeys{
			Help: k("?", "help", "?"), Quit: k("q", "quit", "q", "ctrl+c"), Back: back,
			ForceQuit: k("ctrl+c", "quit", "ctrl+c"),
		},
		Home: HomeKeys{
			Up: k("↑/k", "up", "up", "k"), Down: k("↓/j", "down", "down", "j"), Open: k("enter", "open", "enter"),
			Filter: k("/", "filter", "/"), Continue: k("c", "continue", "c"), Lab: k("L", "lab", "L"),
			ClearFilter: clearFilter, DeleteChar: k("backspace", "delete", "backspace"),
		},
		Player: PlayerKeys{
			Next: k("n/→", "next step", "n", "right"), Prev: k("p/←", "previous step", "p", "left"),
			Choose: k("1-9", "choose", "1", "2", "3", "4", "5", "6", "7", "8", "9"), Run: run,
			Hint: k("i", "hint", "i"), Reveal: k("t", "reveal tally", "t"), Curve: k("a", "curve/lanes", "a"),
			JudgeAnyway: k("d", "judge anyway", "d"), Reference: k("e", "reference run", "e"),
			ScrollUp: k("↑/k", "scroll up", "up", "k"), ScrollDown: k("↓/j", "scroll down", "down", "j"),
			PageUp: k("pgup", "page up", "pgup"), PageDown: k("pgdown", "page down", "pgdown"),
			Scroll: k("↑/↓", "scroll text", "up", "down", "k", "j", "pgup", "pgdown"),
		},
		Panel: PanelKeys{
			Pause: k("space", "pause", "space"), ZoomIn: k("+", "zoom in", "+", "="), ZoomOut: k("-", "zoom out", "-"),
			PanLeft: k("h", "pan left", "h"), PanRight: k("l", "pan right", "l"), Lanes: k("v", "lanes", "v"),
			Focus: k("f", "close-up", "f"), Start: k("home/g", "to start", "home", "g"), End: k("end/G", "to end", "end", "G"), Speed: k("s", "speed", "s"), Replay: k("R", "replay", "R"),
		},
		Lab: LabKeys{
			Run: run, Model: k("m", "model", "m"), MoreWorkers: k("w", "workers +1", "w"),
			FewerWorkers: k("W", "workers -1", "W"), Cores: k("c", "cores", "c"), TaskMix: k("t", "task mix", "t"),
			Bigger: k("]", "bigger tasks", "]"), Smaller: k("[", "smaller tasks", "["), Compare: k("x", "compare", "x"),
			Sim: k("S", "real/sim", "S"), Curve: k("a", "speed-up curve (Amdahl)", "a"),
			Beside: k("b", "beside CPython", "b"), ChunkSize: k("k", "chunk size", "k"),
			SwitchInterval: k("i", "switch interval", "i"), Payload: k("p", "payload", "p"),
		},
	}
}

// helpKey is the key a binding's help shows, for text that names it.
func HelpKey(b key.Binding) string { return b.Help().Key }
