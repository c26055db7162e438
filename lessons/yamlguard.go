package lessons

import (
	"strconv"
	"strings"

	"github.com/coreography/coreography/internal/experiment"
)

// goccy/go-yaml has no depth limit: a few hundred kilobytes of nested [[[…]]] take it
// seconds and gigabytes (docs/performance.md). Every YAML block (front matter,
// experiment, predict) is measured before it is parsed, in one pass over its bytes,
// and refused past these bounds. Lessons need a few hundred bytes and three levels.
const (
	maxYAMLBytes = 64 << 10
	maxYAMLDepth = 16
)

// yamlTooComplex reports where a block's YAML passes maxYAMLBytes or maxYAMLDepth,
// and why; ok is true when it may be parsed. Depth is counted generously: open flow
// brackets, plus indentation levels, plus "- " and "? " indicators opening a line.
func yamlTooComplex(src string) (line, col int, msg string, ok bool) {
	if len(src) > maxYAMLBytes {
		return 1, 1, "this YAML is " + experiment.FormatSize(int64(len(src)), experiment.Prose) + ", more than the " + experiment.FormatSize(maxYAMLBytes, experiment.Prose) + " a lesson block may hold", false
	}
	var indents []int // the indentation of each open block level
	flow := 0
	for i, text := range strings.Split(src, "\n") {
		body := strings.TrimLeft(text, " ")
		if body == "" || body[0] == '#' {
			continue
		}
		indent := len(text) - len(body)
		if flow == 0 {
			for len(indents) > 0 && indents[len(indents)-1] >= indent {
				indents = indents[:len(indents)-1]
			}
			indents = append(indents, indent)
			for strings.HasPrefix(body, "- ") || strings.HasPrefix(body, "? ") || body == "-" {
				indents = append(indents, indent) // a nested entry on the same line
				body = strings.TrimLeft(body[1:], " ")
			}
		}
		var quote byte
		for j := 0; j < len(body); j++ {
			c := body[j]
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '#' && (j == 0 || body[j-1] == ' '):
				j = len(body) // a comment to the end of the line
			case c == '[' || c == '{':
				flow++
			case (c == ']' || c == '}') && flow > 0:
				flow--
			}
			if depth := flow + len(indents); depth > maxYAMLDepth {
				return i + 1, indent + j + 1, "YAML nested more than " + itoa(maxYAMLDepth) + " levels deep: a lesson block needs a few", false
			}
		}
		if depth := flow + len(indents); depth > maxYAMLDepth {
			return i + 1, indent + 1, "YAML nested more than " + itoa(maxYAMLDepth) + " levels deep: a lesson block needs a few", false
		}
	}
	return 0, 0, "", true
}

func itoa(n int) string { return strconv.Itoa(n) }
