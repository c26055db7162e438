package ui

import tea "charm.land/bubbletea/v2"

// progressSavedMsg says how writing the learner's progress went.
type progressSavedMsg struct{ err error }

// save marks the learner's progress as changed. Writing it (and syncing it to disk)
// is I/O, which Update never does: Update returns the command that writes it.
func (p *lessonPlayer) save() { p.unsaved = true }

// saveCmd is the command that writes progress, once, when it changed; nil when it
// did not. Progress is safe for concurrent use, so it is written off the update loop.
func (p *lessonPlayer) saveCmd() tea.Cmd {
	if !p.unsaved || p.prog == nil {
		return nil
	}
	p.unsaved = false
	prog := p.prog
	return func() tea.Msg { return progressSavedMsg{err: prog.Save()} }
}

// Init writes the progress that opening the lesson made: the step it opened on is seen.
func (p *lessonPlayer) Init() tea.Cmd { return p.saveCmd() }

// Update handles a message, then saves what it changed of the learner's progress.
func (p *lessonPlayer) Update(msg tea.Msg) tea.Cmd {
	cmd := p.update(msg)
	return tea.Batch(cmd, p.saveCmd())
}
