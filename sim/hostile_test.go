package sim

import (
	"testing"
	"time"
)

// Issue 28 #10: a tampered profile (a start-up of max int64, a 1 ns slice) is not
// plausible; the built-in ones are.
func TestHostile10ProfileBounds(t *testing.T) {
	for _, p := range Builtin {
		if err := p.Plausible(); err != nil {
			t.Errorf("built-in %v", err)
		}
	}
	for name, tamper := range map[string]func(*Profile){
		"startup":   func(p *Profile) { p.ProcStartup = 1<<63 - 1 },
		"slice":     func(p *Profile) { p.BaseSlice = 1 },
		"measured":  func(p *Profile) { p.MeasuredSlice = time.Hour },
		"bandwidth": func(p *Profile) { p.BytesPerSecond = 1 },
		"handoff":   func(p *Profile) { p.GILHandoff = time.Minute },
		"stretch":   func(p *Profile) { p.WorkStretch = 0.01 },
	} {
		p := CPython
		tamper(&p)
		if p.Plausible() == nil {
			t.Errorf("%s: tampered profile %+v passed", name, p)
		}
	}
}
