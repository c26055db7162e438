package pools

import (
	"testing"
)

// A probe that disagrees with the calibration in use by more than a tenth makes both
// calibrations again; one that agrees leaves them be.
func TestCheckClockRecalibratesWhenTheClockMoved(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv(CalibrationEnv, "")
	was := recalibrated.Load()
	t.Cleanup(func() { recalibrated.Store(was) })

	now := Calibrate()
	off := now
	off.NsPerIter *= 3 // a calibration from a machine three times slower
	recalibrated.Store(&off)
	probe := checkClock()
	if !probe.Recalibrated || probe.CachedNsPerIter != off.NsPerIter || probe.Drift() > -0.5 {
		t.Fatalf("probe %+v against a calibration 3× off: want it made again", probe)
	}
	if got := CurrentCalibration().NsPerIter; got > 1.5*now.NsPerIter || got < now.NsPerIter/1.5 {
		t.Errorf("calibration in use %.3f ns/step after recalibrating, want about %.3f", got, now.NsPerIter)
	}
	// Right after, the clock agrees with itself (a busy machine may still disagree:
	// then only a second recalibration is allowed, not a failure).
	if probe := checkClock(); probe.Recalibrated && checkClock().Recalibrated {
		t.Errorf("the clock disagreed with a calibration made a moment ago, twice: %+v", probe)
	}
}
