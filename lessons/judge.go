package lessons

// How a prediction is judged and how a measured value is spelled: the TUI and the
// headless player both ask here, so they cannot disagree on either.

// Truth is the choice a run's values make right: when the choices carry conditions,
// the first one the values satisfy (-1 when none does: the measurement supports no
// choice, whatever the script answers); without conditions, the script's answer.
// measured reports whether the values decided it.
func (p *Predict) Truth(values map[string]float64) (choice int, measured bool) {
	if p.Judged() {
		return p.Judge(values), true
	}
	return p.AnswerIndex(), false
}

// Agrees reports whether the values bear out the script's answer: always for a
// prediction without conditions, which a run cannot contradict.
func (p *Predict) Agrees(values map[string]float64) bool {
	truth, measured := p.Truth(values)
	return !measured || (truth >= 0 && truth == p.AnswerIndex())
}

// FormatValue spells the measured value name (as a {{name}} placeholder would take
// it: speedup, wall, run1.wall_s, …) with its unit; "…" when values has none.
func FormatValue(values map[string]float64, name string) string {
	v, ok := lookup(values, name)
	if !ok {
		return "…"
	}
	_, base, _ := splitName(name)
	return formatValue(base, v)
}
