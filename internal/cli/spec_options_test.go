package cli

import (
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/coreography/coreography/pools"
	"github.com/coreography/coreography/ui"
)

// TestSpecFlagsAreOneSet: run, lab and scale take the same spec flags with the same
// help, so a model or flag added to one reaches all three (scale's --workers alone
// is its own: a list of counts).
func TestSpecFlagsAreOneSet(t *testing.T) {
	root := &cobra.Command{Use: "coreography"}
	addRunCommand(root)
	addScaleCommand(root)
	addTUICommands(root)
	var want specOptions
	ref := &cobra.Command{}
	want.bind(ref, specBinding{})
	for _, name := range []string{"run", "lab", "scale"} {
		cmd, _, err := root.Find([]string{name})
		if err != nil || cmd.Name() != name {
			t.Fatalf("no %s command: %v", name, err)
		}
		ref.Flags().VisitAll(func(f *pflag.Flag) {
			got := cmd.Flags().Lookup(f.Name)
			switch {
			case got == nil:
				t.Errorf("%s has no --%s", name, f.Name)
			case f.Name == "workers" && name == "scale":
			case got.Usage != f.Usage || got.DefValue != f.DefValue:
				t.Errorf("%s --%s drifted: %q (default %q), the others %q (default %q)", name, f.Name, got.Usage, got.DefValue, f.Usage, f.DefValue)
			}
		})
	}
}

// TestOnlyTheAppDrawsItsRunsLive: the full-screen app's runner says it draws every
// run as it goes (pools keeps its collector on then), and the plain commands' runner
// does not; which is which is decided here, where the app is wired, not by a value
// one package slips into another's context.
func TestOnlyTheAppDrawsItsRunsLive(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	var opt ui.AppOptions
	if err := loadApp(&opt, false); err != nil {
		t.Fatal(err)
	}
	if e, ok := opt.Runner.(engines); !ok || e.real != pools.NewDrawn() {
		t.Errorf("the app's runner is %#v, want the engines with pools.NewDrawn", opt.Runner)
	}
	if e := newEngines().(engines); e.real != pools.New() {
		t.Errorf("run, play and scale's runner is %#v, want pools.New", e.real)
	}
}
