package cli

import (
	"github.com/spf13/cobra"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/pools"
	"github.com/coreography/coreography/ui"
)

// measureLab is `lab --json`: the lab's live run without a terminal, so a script or a
// test can read what watching it cost (observer_cpu_share, of one core) beside the stats.
func measureLab(cmd *cobra.Command, s experiment.Spec) error {
	rep, err := ui.MeasureLive(cmd.Context(), pools.NewDrawn(), s, 100, 30)
	if err != nil {
		return exitFor(cmd.Context(), err)
	}
	return writeJSON(cmd.OutOrStdout(), rep)
}
