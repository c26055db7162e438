package experiment

import "context"

type drawnLiveKey struct{}

// DrawnLive marks the runs made under ctx as drawn while they go.
//
// Deprecated: nothing reads it any more. Whether a run is drawn live is the runner's
// (pools.NewDrawn, handed to the app by the command line), not a context value that
// lets one package switch another's policy. ui/panel.go's one call goes once ui is
// split; then this file goes too.
func DrawnLive(ctx context.Context) context.Context {
	return context.WithValue(ctx, drawnLiveKey{}, true)
}

// IsDrawnLive reports whether ctx's runs are drawn while they go.
//
// Deprecated: see DrawnLive.
func IsDrawnLive(ctx context.Context) bool {
	drawn, _ := ctx.Value(drawnLiveKey{}).(bool)
	return drawn
}
