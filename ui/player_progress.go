package ui

import (
	"sync"
	"sync/atomic"

	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/lessons"
)

// progressSavedMsg says how writing the learner's progress went.
type progressSavedMsg struct{ err error }

// progressWriter writes the learner's progress off the update loop: writing (and
// syncing it to disk) is I/O, which Update never does. One write runs at a time, and
// the app flushes what a command had no time to write before the program ended.
type progressWriter struct {
	prog    *lessons.Progress
	mu      sync.Mutex   // held while writing
	pending atomic.Int64 // commands made whose write has not run
	closed  bool         // flushed for good: late commands write nothing
}

// newProgressWriter writes prog; nil when there is no progress to keep.
func newProgressWriter(prog *lessons.Progress) *progressWriter {
	if prog == nil {
		return nil
	}
	return &progressWriter{prog: prog}
}

// cmd is the command that writes progress as it is when the command runs.
func (w *progressWriter) cmd() tea.Cmd {
	w.pending.Add(1)
	return func() tea.Msg {
		w.mu.Lock()
		defer w.mu.Unlock()
		if w.closed {
			return nil
		}
		w.pending.Add(-1)
		return progressSavedMsg{err: w.prog.Save()}
	}
}

// Flush waits for a write under way and writes progress once more if a command to
// write it never ran; later commands write nothing. The app calls it once the
// program has ended.
func (w *progressWriter) Flush() error {
	if w == nil {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closed = true
	if w.pending.Swap(0) == 0 {
		return nil
	}
	return w.prog.Save()
}

// save marks the learner's progress as changed: Update returns the command that
// writes it.
func (p *lessonPlayer) save() { p.unsaved = true }

// saveCmd is the command that writes progress when it changed; nil when it did not.
func (p *lessonPlayer) saveCmd() tea.Cmd {
	if !p.unsaved || p.writer == nil {
		return nil
	}
	p.unsaved = false
	return p.writer.cmd()
}

// Init writes the progress that opening the lesson made: the step it opened on is seen.
func (p *lessonPlayer) Init() tea.Cmd { return tea.Batch(p.saveCmd(), p.classInit()) }

// Update handles a message, then saves what it changed of the learner's progress.
func (p *lessonPlayer) Update(msg tea.Msg) tea.Cmd {
	cmd, done := p.classUpdate(msg) // a class's changes, its reveal key, a reloaded lesson
	if !done {
		cmd = p.update(msg)
	}
	return tea.Batch(cmd, p.saveCmd())
}
