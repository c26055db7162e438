// Package assets embeds what coreography ships inside its binary: the built-in lessons.
package assets

import "embed"

// Lessons holds the built-in lesson scripts as lessons/<id>.md.
//
//go:embed lessons/*.md
var Lessons embed.FS
