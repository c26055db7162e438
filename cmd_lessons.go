package main

import "github.com/spf13/cobra"

// addLessonCommands adds list, check and play. (STUB: the lessons helper fills it.)
func addLessonCommands(root *cobra.Command) {}
