package lessons

import (
	"regexp"
	"strings"
)

// A lesson body is read line by line: fenced code is recognised first, so a `---` or
// a ``` inside a code sample never splits a step or opens a block.

// item is one piece of a lesson body: a text line, a step separator, or a fenced block.
type item struct {
	kind   itemKind
	line   int    // file line
	text   string // itemText: the line
	inCode bool   // itemText: the line is inside (or is a fence of) a code block kept in the text
	fence  *fence // itemBlock
}

type itemKind int

const (
	itemText itemKind = iota
	itemSeparator
	itemBlock
)

// fence is a fenced block whose info string names a lesson block (experiment, predict, hint, notes, if).
type fence struct {
	info    string
	line    int      // the opening fence's line
	indent  int      // spaces before the opening fence, removed from its content
	content []string // lines between the fences
}

// blockNames are the info strings that make a fenced block part of the lesson, not its text.
var blockNames = []string{"experiment", "predict", "hint", "notes", "if"}

var fenceOpen = regexp.MustCompile("^( {0,3})(`{3,}|~{3,})(.*)$")

// scanBody splits body lines (the first at file line first) into items, reporting
// fences that never close and fence names that look like a misspelt block.
func scanBody(lines []string, first int, p *problems) []item {
	var items []item
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		m := fenceOpen.FindStringSubmatch(line)
		if m == nil || (m[2][0] == '`' && strings.Contains(m[3], "`")) {
			if strings.TrimRight(line, " \t") == "---" {
				items = append(items, item{kind: itemSeparator, line: first + i})
			} else {
				items = append(items, item{kind: itemText, line: first + i, text: line})
			}
			continue
		}
		indent, marker := len(m[1]), m[2]
		info := strings.ToLower(firstWord(m[3]))
		end := -1
		for j := i + 1; j < len(lines); j++ {
			if isFenceClose(lines[j], marker) {
				end = j
				break
			}
		}
		if end < 0 {
			p.add(first+i, indent+1, "this %s fence is never closed: add a line %s after its content", marker, marker)
			end = len(lines)
		}
		if isBlockName(info) {
			f := &fence{info: info, line: first + i, indent: indent}
			for _, c := range lines[i+1 : end] {
				f.content = append(f.content, dedent(c, indent))
			}
			items = append(items, item{kind: itemBlock, line: first + i, fence: f})
		} else {
			if hint := closeBlockName(info); hint != "" {
				p.add(first+i, indent+len(marker)+1+leadingSpace(m[3]), "unknown block %q: did you mean %q? (other names keep the block as code in the text)", info, hint)
			}
			for j := i; j < end+1 && j < len(lines); j++ {
				items = append(items, item{kind: itemText, line: first + j, text: lines[j], inCode: true})
			}
		}
		i = end
	}
	return items
}

func isBlockName(info string) bool {
	for _, n := range blockNames {
		if info == n {
			return true
		}
	}
	return false
}

// closeBlockName is the block name info was probably meant to be ("predcit"), or "".
func closeBlockName(info string) string {
	if len(info) < 4 {
		return ""
	}
	for _, n := range blockNames {
		if d := editDistance(info, n); d > 0 && d <= 2 {
			return n
		}
	}
	return ""
}

// isFenceClose reports whether line closes a fence opened with marker: the same
// character at least as many times, indented at most 3 spaces, nothing after.
func isFenceClose(line, marker string) bool {
	t := strings.TrimLeft(line, " ")
	if len(line)-len(t) > 3 {
		return false
	}
	t = strings.TrimRight(t, " \t")
	if len(t) < len(marker) {
		return false
	}
	for i := 0; i < len(t); i++ {
		if t[i] != marker[0] {
			return false
		}
	}
	return true
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

func leadingSpace(s string) int { return len(s) - len(strings.TrimLeft(s, " \t")) }

// dedent removes up to n leading spaces, as CommonMark does inside an indented fence.
func dedent(s string, n int) string {
	for n > 0 && strings.HasPrefix(s, " ") {
		s, n = s[1:], n-1
	}
	return s
}
