package ui

import "strconv"

// formatSpeed spells a playback speed: 1×, 0.5×, 0.01×.
func formatSpeed(x float64) string { return shortest(x, 2) + "×" }

// shortest spells v rounded to at most decimals places, without trailing zeros:
// 1.50 is 1.5, 2.00 is 2.
func shortest(v float64, decimals int) string {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', decimals, 64), 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}
