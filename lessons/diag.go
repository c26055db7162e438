package lessons

import (
	"cmp"
	"fmt"
	"slices"
)

// Error is one problem in a lesson file, at a 1-based line and column (columns count
// characters, not bytes, as editors do).
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg) }

// problems collects errors for one file.
type problems struct {
	file string
	list []error
}

func (p *problems) add(line, col int, format string, args ...any) {
	p.list = append(p.list, &Error{File: p.file, Line: max(line, 1), Col: max(col, 1), Msg: fmt.Sprintf(format, args...)})
}

// sorted returns the errors in file order.
func (p *problems) sorted() []error {
	slices.SortStableFunc(p.list, func(a, b error) int {
		ea, eb := a.(*Error), b.(*Error)
		return cmp.Or(cmp.Compare(ea.Line, eb.Line), cmp.Compare(ea.Col, eb.Col))
	})
	return p.list
}
