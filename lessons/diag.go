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
	hidden    int // for the last line of a long list: how many problems it stands for
}

func (e *Error) Error() string {
	if e.hidden > 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// MaxProblemsShown is how many problems one file lists; the rest are counted in a
// last line, "and N more". A hostile file (a megabyte of control characters) would
// otherwise print a million lines.
const MaxProblemsShown = 50

// maxProblemsKept bounds the memory a file's problems take while it is read; past it
// they are only counted.
const maxProblemsKept = 1000

// problems collects errors for one file.
type problems struct {
	file    string
	list    []error
	added   int // every problem added, kept or not
	dropped int // added past maxProblemsKept
}

func (p *problems) add(line, col int, format string, args ...any) {
	p.added++
	if len(p.list) >= maxProblemsKept {
		p.dropped++
		return
	}
	p.list = append(p.list, &Error{File: p.file, Line: max(line, 1), Col: max(col, 1), Msg: fmt.Sprintf(format, args...)})
}

// sorted returns the first MaxProblemsShown errors in file order and, when there were
// more, a last one that counts them.
func (p *problems) sorted() []error {
	more := p.dropped
	kept := p.list[:0:0]
	for _, e := range p.list {
		if ee := e.(*Error); ee.hidden > 0 {
			more += ee.hidden // an earlier summary, folded into this one
			continue
		}
		kept = append(kept, e)
	}
	slices.SortStableFunc(kept, func(a, b error) int {
		ea, eb := a.(*Error), b.(*Error)
		return cmp.Or(cmp.Compare(ea.Line, eb.Line), cmp.Compare(ea.Col, eb.Col))
	})
	if len(kept) > MaxProblemsShown {
		more += len(kept) - MaxProblemsShown
		kept = kept[:MaxProblemsShown]
	}
	if more > 0 {
		kept = append(kept, &Error{File: p.file, Msg: fmt.Sprintf("and %d more problems, not listed: fix these first", more), hidden: more})
	}
	p.list, p.dropped = kept, 0
	return kept
}
