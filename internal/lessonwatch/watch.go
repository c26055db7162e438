// Package lessonwatch reads a lesson file again each time its author saves it.
package lessonwatch

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/coreography/coreography/lessons"
)

// settle is how long the file must stay quiet before it is read: an editor's save is
// several events (truncate, write, rename over), and reading between them would show
// a half-written lesson's errors for a moment.
const settle = 60 * time.Millisecond

// Watch calls changed with the lesson at path, or its problems, each time the file
// changes, until ctx ends. It watches the file's directory, not the file: editors
// save by writing a new file and renaming it over the old one, which a watch on the
// old file would lose. It returns once the watch is set up; changed is called from
// its own goroutine.
func Watch(ctx context.Context, path string, changed func(*lessons.Lesson, []error)) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("--watch %s: %w", path, err)
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("--watch: %w", err)
	}
	if err := w.Add(filepath.Dir(abs)); err != nil {
		w.Close()
		return fmt.Errorf("--watch %s: %w", filepath.Dir(abs), err)
	}
	go loop(ctx, w, abs, path, changed)
	return nil
}

func loop(ctx context.Context, w *fsnotify.Watcher, abs, path string, changed func(*lessons.Lesson, []error)) {
	defer w.Close()
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case ev, ok := <-w.Events:
			if !ok {
				return
			}
			if filepath.Clean(ev.Name) == abs && !ev.Has(fsnotify.Chmod) {
				timer.Reset(settle)
			}
		case err, ok := <-w.Errors:
			if !ok {
				return
			}
			changed(nil, []error{fmt.Errorf("--watch: %w", err)})
		case <-timer.C:
			changed(lessons.Reload(path))
		}
	}
}
