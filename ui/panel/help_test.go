package panel

import (
	"testing"
	"time"

	"charm.land/bubbles/v2/key"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/ui/internal/uitest"
)

// pressBinding presses a binding's first key.
func pressBinding(b key.Binding) (k string) { return b.Keys()[0] }

// TestPanelShortHelpKeysWork: the help bar never lies. In every state of the panel,
// each key its short help shows changes what the panel draws or starts something.
func TestPanelShortHelpKeysWork(t *testing.T) {
	tr := uitest.Trace(t, experiment.GIL, 2, "4*cpu(20ms)")
	fixed := time.Unix(1000, 0)
	states := map[string]func(p *RunPanel){
		"ready": func(p *RunPanel) {
			p.SetRuns([]experiment.Spec{{Model: experiment.GIL, Workers: 2, Tasks: uitest.Tasks(t, "4*cpu(20ms)")}})
		},
		"done": func(p *RunPanel) { p.ShowTraces(tr1(tr)) },
		"zoomed": func(p *RunPanel) {
			p.ShowTraces(tr1(tr))
			p.Update(uitest.Key("+"))
		},
		"replaying": func(p *RunPanel) {
			p.ShowTraces(tr1(tr))
			p.Update(uitest.Key("R"))
		},
	}
	for name, setup := range states {
		fresh := func() *RunPanel {
			p := NewRunPanel(uitest.Common(&uitest.Runner{}))
			p.c.Now = func() time.Time { return fixed }
			p.SetSize(80, 16)
			setup(p)
			return p
		}
		shown := fresh().ShortHelp()
		if name == "ready" && len(shown) > 0 {
			t.Errorf("ready, nothing recorded: the help shows %d panel keys, none of which can do anything", len(shown))
		}
		for _, b := range shown {
			p := fresh()
			before := p.View()
			cmd := p.Update(uitest.Key(pressBinding(b)))
			if cmd == nil && p.View() == before {
				t.Errorf("%s: the help shows %q (%s), but pressing it changes nothing", name, b.Help().Key, b.Help().Desc)
			}
		}
	}
}

func tr1[T any](t T) []T { return []T{t} }

// TestJumpKeys: g and G (home and end) jump to the start and the end of a zoomed run.
func TestJumpKeys(t *testing.T) {
	p := NewRunPanel(uitest.Common(nil))
	p.SetSize(100, 30)
	p.ShowTraces(tr1(uitest.Trace(t, experiment.GIL, 2, "8*cpu(100ms)")))
	for _, k := range "+++" {
		p.Update(uitest.Key(string(k)))
	}
	wall := p.wall()
	for _, k := range []struct {
		key     string
		atStart bool
	}{{"G", false}, {"g", true}, {"end", false}, {"home", true}} {
		p.Update(uitest.Key(k.key))
		from, to := p.tl.Window()
		if got := from == 0; got != k.atStart || (!k.atStart && to != wall) {
			t.Errorf("%s: window %v-%v of %v", k.key, time.Duration(from), time.Duration(to), time.Duration(wall))
		}
	}
}
