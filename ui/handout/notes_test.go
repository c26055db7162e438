package handout

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// A lesson's speaker notes never reach a handout (coreography play), as text or JSON.
func TestPlayHasNoSpeakerNotes(t *testing.T) {
	l := uitest.Lesson(t, strings.Replace(playLesson, "Intro text for the run.", "Intro text for the run.\n\n```notes\nPRESENTER ONLY\n```", 1))
	if len(l.Steps[0].Notes) == 0 {
		t.Fatal("the lesson has no notes to leave out")
	}
	for _, opt := range []PlayOptions{{Width: 80}, {JSON: true}} {
		run := &scriptedRunner{speedup: map[experiment.Model]float64{experiment.GIL: 1, experiment.Threads: 2}}
		var out bytes.Buffer
		if err := Play(context.Background(), &out, l, run, opt); err != nil {
			t.Fatalf("Play: %v", err)
		}
		if strings.Contains(out.String(), "PRESENTER") {
			t.Errorf("play (json %v) shows the speaker notes:\n%s", opt.JSON, out.String())
		}
	}
}
