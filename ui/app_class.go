package ui

import (
	"github.com/coreography/coreography/lessons"
	"github.com/coreography/coreography/ui/common"
)

// This file is what the app does for a class beyond the player's strip.

// player is the lesson player for l at step, teaching the app's class if it has one.
func (a *App) player(l *lessons.Lesson, step int) *lessonPlayer {
	p := newLessonPlayer(a.common, l, step, a.progress)
	p.class, p.notes = a.opt.Class, a.opt.Notes || a.opt.Class != nil
	return p
}

// classBanner tells a class's teacher how students join while no lesson is open: the
// player shows it in its strip.
func (a *App) classBanner() string {
	if a.opt.Class == nil {
		return ""
	}
	if _, teaching := a.screen.(*lessonPlayer); teaching {
		return ""
	}
	line := "class: " + a.opt.Class.Join + " · code " + a.opt.Class.Code + " · open a lesson to teach it"
	return a.common.Styles.Accent.Render(common.TruncateLine(line, a.common.Width))
}
