package main

import "github.com/spf13/cobra"

// addTUICommands makes the bare command open home, and adds open, lab and replay.
// (STUB: the ui helper fills it.)
func addTUICommands(root *cobra.Command) {}
