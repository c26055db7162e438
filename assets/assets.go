// Package assets embeds what coreography ships inside its binary: the built-in lessons,
// their reference runs and the CPython driver script.
package assets

import "embed"

// Lessons holds the built-in lesson scripts as lessons/<id>.md.
//
//go:embed lessons/*.md
var Lessons embed.FS

// References holds the built-in lessons' reference runs, recorded on a quiet machine
// by lessons/reference/make: lessons/reference/<id>/about.json and a gzipped trace
// per judged run.
//
//go:embed lessons/reference/*/*
var References embed.FS

// CPythonDriver is the stdlib-only script that runs the py-* models on a real CPython.
//
//go:embed cpython/driver.py
var CPythonDriver []byte
