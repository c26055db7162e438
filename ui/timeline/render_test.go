package timeline

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/ui/internal/uitest"
)

func TestRenderRunPrint(t *testing.T) {
	for _, w := range []int{80, 120} {
		out := RenderRun(uitest.Trace(t, experiment.GIL, 2, "8*cpu(100ms)"), w)
		t.Log("\n" + out)
		for i, l := range strings.Split(out, "\n") {
			if ansi.StringWidth(l) > w {
				t.Errorf("line %d is %d wide, more than %d: %q", i, ansi.StringWidth(l), w, l)
			}
		}
	}
	t.Log("\n" + RenderRun(uitest.Trace(t, experiment.Processes, 2, "6*cpu(30ms)"), 80))
}
