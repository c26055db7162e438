package experiment

import "context"

type drawnLiveKey struct{}

// DrawnLive marks the runs made under ctx as drawn while they go: the app that runs
// them draws them on screen too, frame after frame, so it is an observer with garbage
// of its own (see pools' pauseGC).
func DrawnLive(ctx context.Context) context.Context {
	return context.WithValue(ctx, drawnLiveKey{}, true)
}

// IsDrawnLive reports whether ctx's runs are drawn while they go.
func IsDrawnLive(ctx context.Context) bool {
	drawn, _ := ctx.Value(drawnLiveKey{}).(bool)
	return drawn
}
