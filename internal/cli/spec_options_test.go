package cli

import (
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
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
