package markdown

import "strings"

// goldmark's work grows with the square of some nestings: a line of a million '>'
// (quotes in quotes), a line of list markers, a deep indentation, or a paragraph of a
// hundred thousand unclosed links ("[a](") each scan the rest of the text again. A
// lesson needs none of that, so before parsing, tame bounds them, and a megabyte of
// hostile text renders in linear time. Text within these bounds is left as written.
const (
	maxContainerMarks   = 16  // quote and list marks that open containers at a line's start
	maxLeadingSpaces    = 64  // indentation, which nests lists (or makes code)
	maxBracketsPerBlock = 256 // '[' in one paragraph; past it they are escaped, as text
)

// tame returns src with every line's container marks and indentation bounded and the
// brackets of a paragraph past maxBracketsPerBlock escaped. Fenced code is kept.
func tame(src string) string {
	var b strings.Builder
	b.Grow(len(src))
	brackets := 0
	fence := ""
	for len(src) > 0 {
		line, rest, newline := strings.Cut(src, "\n")
		src = rest
		trimmed := strings.TrimLeft(line, " ")
		switch {
		case fence != "":
			if strings.HasPrefix(trimmed, fence) {
				fence = ""
			}
		case strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~"):
			fence = trimmed[:3]
		default:
			if strings.TrimSpace(line) == "" {
				brackets = 0
			}
			line = tameLine(line, &brackets)
		}
		b.WriteString(line)
		if newline {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// tameLine bounds one line's leading container marks and spaces, and escapes its
// brackets once its paragraph has had maxBracketsPerBlock.
func tameLine(line string, brackets *int) string {
	prefix, body := containerPrefix(line)
	if strings.Count(prefix, " ") > maxLeadingSpaces || marks(prefix) > maxContainerMarks {
		prefix = boundPrefix(prefix)
	}
	n := strings.Count(body, "[")
	if *brackets+n <= maxBracketsPerBlock {
		*brackets += n
		return prefix + body
	}
	var b strings.Builder
	for _, r := range body {
		if r == '[' {
			if *brackets >= maxBracketsPerBlock {
				b.WriteByte('\\')
			}
			*brackets++
		}
		b.WriteRune(r)
	}
	return prefix + b.String()
}

// containerPrefix splits a line into its leading run of spaces, quote marks and
// list markers, and the rest.
func containerPrefix(line string) (prefix, body string) {
	i := 0
	for i < len(line) {
		switch c := line[i]; {
		case c == ' ' || c == '\t' || c == '>':
			i++
		case (c == '-' || c == '*' || c == '+') && i+1 < len(line) && line[i+1] == ' ':
			i += 2
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j+1 < len(line) && (line[j] == '.' || line[j] == ')') && line[j+1] == ' ' {
				i = j + 2
				continue
			}
			return line[:i], line[i:]
		default:
			return line[:i], line[i:]
		}
	}
	return line[:i], line[i:]
}

// marks counts the container marks in a prefix.
func marks(prefix string) int {
	n := 0
	for i := 0; i < len(prefix); i++ {
		switch c := prefix[i]; {
		case c == '>':
			n++
		case c == '-' || c == '*' || c == '+' || c == '.' || c == ')':
			n++
		}
	}
	return n
}

// boundPrefix keeps a prefix's first maxContainerMarks marks and at most
// maxLeadingSpaces of its spaces: the rest of the nesting is dropped.
func boundPrefix(prefix string) string {
	var b strings.Builder
	n, spaces := 0, 0
	for i := 0; i < len(prefix); i++ {
		c := prefix[i]
		switch {
		case c == ' ' || c == '\t':
			if spaces++; spaces > maxLeadingSpaces {
				continue
			}
		case c == '>' || c == '-' || c == '*' || c == '+' || c == '.' || c == ')':
			if n++; n > maxContainerMarks {
				continue
			}
		case n >= maxContainerMarks: // a list number past the bound
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
