// Package assets embeds what coreography ships inside its binary: the built-in lessons
// and the CPython driver script.
package assets

import "embed"

// Lessons holds the built-in lesson scripts as lessons/<id>.md.
//
//go:embed lessons/*.md
var Lessons embed.FS

// CPythonDriver is the stdlib-only script that runs the py-* models on a real CPython.
//
//go:embed cpython/driver.py
var CPythonDriver []byte
