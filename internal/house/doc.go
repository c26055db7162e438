// Package house holds the test that keeps DESIGN.md's house rules true of the whole
// repository: the import graph of its table, the size of files and functions, and the
// entries allowed at the repository's root. It has no code of its own.
package house
