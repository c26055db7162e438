package lessons

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/coreography/coreography/internal/termsafe"
)

// node is a YAML value with its place in the lesson file: the few shapes a lesson's
// blocks use (scalars, mappings, lists), so the block readers never touch the YAML AST.
type node struct {
	kind      nodeKind
	text      string // scalars: the value, unquoted
	plain     bool   // scalars: written without quotes or block style, so columns map 1:1
	line, col int    // where the value starts in the file
	keys      []keyed
	items     []*node
}

type nodeKind int

const (
	nullNode nodeKind = iota
	scalarNode
	mapNode
	listNode
)

func (k nodeKind) String() string {
	return [...]string{"nothing", "a single value", "a mapping of key: value lines", "a list"}[k]
}

type keyed struct {
	name      string
	line, col int
	val       *node
}

// block is the YAML inside one fenced block or the front matter, and where it sits.
type block struct {
	src       string
	line      int // file line of the block's first line
	col       int // file column of the block's first column (fences may be indented)
	fenceLine int // the line that opened it, for errors about the block as a whole
	name      string
	problems  *problems
}

// at converts a position inside the block (1-based) to a file position.
func (b *block) at(line, col int) (int, int) { return b.line + line - 1, b.col + col - 1 }

// parse reads the block's YAML into a node; nil (reported) when it cannot.
func (b *block) parse() (n *node) {
	defer func() {
		// goccy/go-yaml is a large third-party parser; if some input trips it, report
		// the block as unreadable rather than crash a learner's lesson player.
		if r := recover(); r != nil {
			b.problems.add(b.fenceLine, 1, "the YAML in this %s block could not be read (parser failure: %v)", b.name, r)
			n = nil
		}
	}()
	if line, col, msg, ok := yamlTooComplex(b.src); !ok {
		line, col = b.at(line, col)
		b.problems.add(line, col, "%s", msg)
		return nil
	}
	f, err := parser.ParseBytes([]byte(b.src), 0)
	if err != nil {
		b.reportYAML(err)
		return nil
	}
	if len(f.Docs) > 1 {
		line, col := b.at(f.Docs[1].Start.Position.Line, f.Docs[1].Start.Position.Column)
		b.problems.add(line, col, "this %s block holds more than one YAML document: a line --- inside it starts another", b.name)
		return nil
	}
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return &node{kind: nullNode, line: b.fenceLine, col: 1}
	}
	return b.convert(f.Docs[0].Body)
}

// yamlError is what goccy/go-yaml's errors share.
type yamlError interface {
	GetToken() *token.Token
	GetMessage() string
}

func (b *block) reportYAML(err error) {
	var ye yamlError
	if errors.As(err, &ye) && ye.GetToken() != nil && ye.GetToken().Position != nil {
		pos := ye.GetToken().Position
		line, col := b.at(pos.Line, pos.Column)
		b.problems.add(line, col, "YAML: %s", ye.GetMessage())
		return
	}
	msg, _, _ := strings.Cut(err.Error(), "\n")
	b.problems.add(b.fenceLine, 1, "YAML: %s", msg)
}

func (b *block) pos(tk *token.Token) (int, int) {
	if tk == nil || tk.Position == nil {
		return b.fenceLine, 1
	}
	return b.at(tk.Position.Line, tk.Position.Column)
}

func (b *block) convert(n ast.Node) *node {
	if n == nil {
		return &node{kind: nullNode, line: b.fenceLine, col: 1}
	}
	line, col := b.pos(n.GetToken())
	out := &node{line: line, col: col}
	switch v := n.(type) {
	case *ast.NullNode:
		out.kind = nullNode
	case *ast.StringNode:
		out.kind, out.text = scalarNode, v.Value
		out.plain = v.Token != nil && v.Token.Type == token.StringType
		if v.Token != nil && (v.Token.Type == token.DoubleQuoteType || v.Token.Type == token.SingleQuoteType) {
			out.col++ // the value starts after the quote
		}
	case *ast.LiteralNode:
		out.kind = scalarNode
		if v.Value != nil {
			out.text = v.Value.Value
		}
		out.line++ // a block scalar's text starts on the next line
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		out.kind, out.text, out.plain = scalarNode, n.GetToken().Value, true
	case *ast.MappingNode:
		out.kind = mapNode
		for _, mv := range v.Values {
			b.addKey(out, mv)
		}
	case *ast.MappingValueNode:
		out.kind = mapNode
		b.addKey(out, v)
	case *ast.SequenceNode:
		out.kind = listNode
		for _, item := range v.Values {
			out.items = append(out.items, b.convert(item))
		}
	case *ast.TagNode:
		b.problems.add(line, col, "YAML tags such as %s are not used in lessons; write the plain value", n.GetToken().Value)
		return b.convert(v.Value)
	case *ast.AnchorNode, *ast.AliasNode:
		b.problems.add(line, col, "YAML anchors and aliases (& and *) are not used in lessons; quote a value that starts with * or &")
		out.kind = nullNode
	default:
		b.problems.add(line, col, "unexpected YAML here (%s)", n.Type())
		out.kind = nullNode
	}
	b.check(out)
	return out
}

// check reports what a converted node may not hold: a control character in a
// scalar, a key given twice in a map.
func (b *block) check(out *node) {
	if out.kind == scalarNode && termsafe.Strip(out.text) != out.text {
		// A YAML escape ("\e", "\x07") makes a control character the file never held.
		b.problems.add(out.line, out.col, "this value holds a control character (a YAML escape such as \\e or \\x1b): a lesson holds text, newlines and tabs only")
		out.text = termsafe.Strip(out.text)
	}
	if out.kind == mapNode {
		seen := map[string]bool{}
		for _, k := range out.keys {
			if seen[k.name] {
				b.problems.add(k.line, k.col, "key %q is given twice", k.name)
			}
			seen[k.name] = true
		}
	}
}

func (b *block) addKey(m *node, mv *ast.MappingValueNode) {
	if mv == nil || mv.Key == nil {
		return
	}
	line, col := b.pos(mv.Key.GetToken())
	name := ""
	switch k := mv.Key.(type) {
	case *ast.StringNode:
		name = k.Value
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.NullNode:
		name = k.GetToken().Value
	default:
		b.problems.add(line, col, "a key must be a plain word such as model")
		return
	}
	m.keys = append(m.keys, keyed{name: name, line: line, col: col, val: b.convert(mv.Value)})
}

// fields checks a mapping's keys against the known ones, reporting unknown keys with
// the likely one meant, and returns the known ones by name.
func (b *block) fields(n *node, what string, known []string) map[string]keyed {
	out := map[string]keyed{}
	if n == nil {
		return out
	}
	if n.kind != mapNode {
		if n.kind != nullNode {
			b.problems.add(n.line, n.col, "%s should be %s, found %s", what, mapNode, n.kind)
		}
		return out
	}
	for _, k := range n.keys {
		ok := false
		for _, name := range known {
			ok = ok || k.name == name
		}
		if !ok {
			hint := didYouMean(k.name, known)
			if hint == "" {
				hint = " (known keys: " + strings.Join(known, ", ") + ")"
			}
			b.problems.add(k.line, k.col, "unknown key %q in %s%s", k.name, what, hint)
			continue
		}
		out[k.name] = k
	}
	return out
}

// str reads a scalar as text.
func (b *block) str(k keyed) (string, bool) {
	switch k.val.kind {
	case scalarNode:
		return k.val.text, true
	case nullNode:
		b.problems.add(k.line, k.col, "%s: missing value", k.name)
	default:
		b.problems.add(k.val.line, k.val.col, "%s should be %s, found %s", k.name, scalarNode, k.val.kind)
	}
	return "", false
}

func (b *block) integer(k keyed) (int, bool) { return scalarAs(b, k, strconv.Atoi, "a whole number") }

// scalarAs reads k as a scalar that parse turns into a value; want says what it
// should be, for the problem when it is not.
func scalarAs[T any](b *block, k keyed, parse func(string) (T, error), want string) (T, bool) {
	var v T
	s, ok := b.str(k)
	if !ok {
		return v, false
	}
	v, err := parse(strings.TrimSpace(s))
	if err != nil {
		b.problems.add(k.val.line, k.val.col, "%s should be %s, found %q", k.name, want, s)
		return v, false
	}
	return v, true
}

func (b *block) boolean(k keyed) (bool, bool) {
	s, ok := b.str(k)
	if !ok {
		return false, false
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "on":
		return true, true
	case "false", "no", "off":
		return false, true
	}
	b.problems.add(k.val.line, k.val.col, "%s should be true or false, found %q", k.name, s)
	return false, false
}

func (b *block) duration(k keyed) (time.Duration, bool) {
	return scalarAs(b, k, time.ParseDuration, "a duration such as 5ms")
}

// strings reads a list of scalars (or one scalar, as a list of one).
func (b *block) strList(k keyed) []string {
	switch k.val.kind {
	case scalarNode:
		return []string{k.val.text}
	case listNode:
		var out []string
		for _, it := range k.val.items {
			if it.kind != scalarNode {
				b.problems.add(it.line, it.col, "%s should list single values, found %s", k.name, it.kind)
				continue
			}
			out = append(out, it.text)
		}
		return out
	case nullNode:
		return nil
	}
	b.problems.add(k.val.line, k.val.col, "%s should be %s, found %s", k.name, listNode, k.val.kind)
	return nil
}

// inside maps a column inside a scalar's text (from 1) to a file position: exact for
// values written on one line, the value's start otherwise.
func inside(n *node, col int) (int, int) {
	if strings.ContainsRune(n.text, '\n') || (!n.plain && strings.ContainsRune(n.text, '\\')) {
		return n.line, n.col
	}
	return n.line, n.col + col - 1
}
