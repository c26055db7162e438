package ui

import "charm.land/bubbles/v2/key"

// KeyMap is every key the app answers to, in one place; help bars are built from it.
type KeyMap struct {
	// Everywhere
	Help, Quit, Back key.Binding
	// Lists (home)
	Up, Down, Open, Filter, Continue, Lab key.Binding
	// Lesson player
	Next, Prev, Choose key.Binding
	// Experiment panel (player and lab)
	Run, Pause, ZoomIn, ZoomOut, PanLeft, PanRight, Lanes, Speed, Replay key.Binding
	// Lab spec editing
	Model, MoreWorkers, FewerWorkers, Cores, TaskMix, Bigger, Smaller, Compare, Beside key.Binding
}

// DefaultKeyMap is the key map the app ships with.
func DefaultKeyMap() KeyMap {
	k := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return KeyMap{
		Help: k("?", "help", "?"),
		Quit: k("q", "quit", "q", "ctrl+c"),
		Back: k("esc", "back", "esc"),

		Up:       k("↑/k", "up", "up", "k"),
		Down:     k("↓/j", "down", "down", "j"),
		Open:     k("enter", "open", "enter"),
		Filter:   k("/", "filter", "/"),
		Continue: k("c", "continue", "c"),
		Lab:      k("L", "lab", "L"),

		Next:   k("n/→", "next step", "n", "right"),
		Prev:   k("p/←", "previous step", "p", "left"),
		Choose: k("1-9", "choose", "1", "2", "3", "4", "5", "6", "7", "8", "9"),

		Run:      k("r", "run", "r"),
		Pause:    k("space", "pause", "space"),
		ZoomIn:   k("+", "zoom in", "+", "="),
		ZoomOut:  k("-", "zoom out", "-"),
		PanLeft:  k("h", "pan left", "h"),
		PanRight: k("l", "pan right", "l"),
		Lanes:    k("v", "lanes", "v"),
		Speed:    k("s", "speed", "s"),
		Replay:   k("R", "replay", "R"),

		Model:        k("m", "model", "m"),
		MoreWorkers:  k("w", "workers +1", "w"),
		FewerWorkers: k("W", "workers -1", "W"),
		Cores:        k("c", "cores", "c"),
		TaskMix:      k("t", "task mix", "t"),
		Bigger:       k("]", "bigger tasks", "]"),
		Smaller:      k("[", "smaller tasks", "["),
		Compare:      k("x", "compare", "x"),
		Beside:       k("b", "beside CPython", "b"),
	}
}
