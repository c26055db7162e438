package ui

import "github.com/coreography/coreography/experiment"

// formatSpeed spells a playback speed: 1×, 0.5×, 0.01×.
func formatSpeed(x float64) string { return experiment.FormatDecimal(x, 2) + "×" }
