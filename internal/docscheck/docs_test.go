// Package docscheck keeps the repository's documentation honest: every relative link in
// README.md, CONTRIBUTING.md and docs/ resolves inside the repository, README stays short
// enough to read in two minutes, and the screenshots were made by the current script.
package docscheck

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// readmeLimit is the most README.md may weigh: a page a newcomer reads in two minutes.
const readmeLimit = 15_000

// repoRoot is the directory that holds go.mod, found upward from this test's directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// documents are the Markdown files whose links must resolve, relative to the root.
func documents(t *testing.T, root string) []string {
	t.Helper()
	docs := []string{"README.md", "CONTRIBUTING.md", "lessons/FORMAT.md"}
	err := filepath.WalkDir(filepath.Join(root, "docs"), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".md") {
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			docs = append(docs, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

func TestReadmeIsShort(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > readmeLimit {
		t.Errorf("README.md is %d bytes, over %d: move the details to a page in docs/ and link it", len(b), readmeLimit)
	}
}

func TestRelativeLinksResolve(t *testing.T) {
	root := repoRoot(t)
	anchors := map[string]map[string]bool{} // per document, its headings' anchors
	for _, doc := range documents(t, root) {
		src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(doc)))
		if os.IsNotExist(err) && doc != "README.md" {
			continue // lessons/FORMAT.md may move into docs/
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range links(src) {
			if problem := resolve(root, doc, l.dest, anchors); problem != "" {
				t.Errorf("%s:%d: link %q %s", doc, l.line, l.dest, problem)
			}
		}
	}
}

// resolve says what is wrong with the link dest found in doc, or "" when it resolves to
// a file or directory inside root (and, for a Markdown target, to one of its headings).
func resolve(root, doc, dest string, anchors map[string]map[string]bool) string {
	if hasScheme.MatchString(dest) || strings.HasPrefix(dest, "//") {
		return "" // another site: not this repository's to check
	}
	target, fragment, _ := strings.Cut(dest, "#")
	target, err := url.PathUnescape(target)
	if err != nil {
		return "is not a valid path: " + err.Error()
	}
	if target == "" {
		target = doc
	} else if strings.HasPrefix(target, "/") {
		target = path.Clean(strings.TrimPrefix(target, "/"))
	} else {
		target = path.Join(path.Dir(doc), target)
	}
	if target == ".." || strings.HasPrefix(target, "../") {
		return "points outside the repository"
	}
	info, err := os.Stat(filepath.Join(root, filepath.FromSlash(target)))
	if err != nil {
		return "points at " + target + ", which does not exist"
	}
	if fragment == "" || info.IsDir() || !strings.HasSuffix(target, ".md") {
		return ""
	}
	if anchors[target] == nil {
		src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(target)))
		if err != nil {
			return err.Error()
		}
		anchors[target] = headingAnchors(src)
	}
	if !anchors[target][strings.ToLower(fragment)] {
		return fmt.Sprintf("names #%s, which is no heading of %s", fragment, target)
	}
	return ""
}

var hasScheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

// htmlRef finds the targets of links and images written as HTML.
var htmlRef = regexp.MustCompile(`(?i)\b(?:href|src)\s*=\s*"([^"]*)"`)

type link struct {
	dest string
	line int
}

// links lists every link and image destination in a Markdown document, with its line;
// code blocks and code spans hold none.
func links(src []byte) []link {
	doc := goldmark.DefaultParser().Parse(text.NewReader(src))
	var found []link
	add := func(dest string, n ast.Node) {
		found = append(found, link{dest: dest, line: lineOf(src, n)})
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			add(string(n.Destination), n)
		case *ast.Image:
			add(string(n.Destination), n)
		case *ast.AutoLink:
			add(string(n.URL(src)), n)
		case *ast.RawHTML:
			for i := 0; i < n.Segments.Len(); i++ {
				seg := n.Segments.At(i)
				for _, m := range htmlRef.FindAllSubmatch(seg.Value(src), -1) {
					add(string(m[1]), n)
				}
			}
		case *ast.HTMLBlock:
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				for _, m := range htmlRef.FindAllSubmatch(seg.Value(src), -1) {
					add(string(m[1]), n)
				}
			}
		}
		return ast.WalkContinue, nil
	})
	return found
}

// lineOf is the line of src where n, or the nearest block holding it, starts.
func lineOf(src []byte, n ast.Node) int {
	for ; n != nil; n = n.Parent() {
		if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
			return bytes.Count(src[:n.Lines().At(0).Start], []byte("\n")) + 1
		}
		if t, ok := n.(*ast.Text); ok {
			return bytes.Count(src[:t.Segment.Start], []byte("\n")) + 1
		}
	}
	return 0
}

// headingAnchors are the anchors GitHub gives a document's headings: the heading's text
// in lower case, without punctuation, spaces as hyphens, a repeated one numbered.
func headingAnchors(src []byte) map[string]bool {
	doc := goldmark.DefaultParser().Parse(text.NewReader(src))
	seen := map[string]int{}
	anchors := map[string]bool{}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		slug := slugify(plainText(h, src))
		if k := seen[slug]; k > 0 {
			anchors[fmt.Sprintf("%s-%d", slug, k)] = true
		} else {
			anchors[slug] = true
		}
		seen[slug]++
		return ast.WalkSkipChildren, nil
	})
	return anchors
}

// plainText is the text a heading shows: its words and code, without the Markdown.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

func slugify(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestSlugify(t *testing.T) {
	for _, c := range []struct{ heading, want string }{
		{"Limits and exit codes", "limits-and-exit-codes"},
		{"The model machine (`sim`)", "the-model-machine-sim"},
		{"Get the `coreography` command", "get-the-coreography-command"},
		{"What `py-*` costs", "what-py--costs"},
		{"Amdahl's law, past 2 cores", "amdahls-law-past-2-cores"},
	} {
		src := []byte("# " + c.heading + "\n")
		if got := headingAnchors(src); !got[c.want] {
			t.Errorf("anchors of %q = %v, want %q", c.heading, got, c.want)
		}
	}
}

func TestLinkCheckFindsBrokenLinks(t *testing.T) {
	root := repoRoot(t)
	anchors := map[string]map[string]bool{}
	for _, dest := range []string{"docs/none.md", "../shared/CURRICULUM.md", "README.md#no-such-heading", "/../x"} {
		if resolve(root, "README.md", dest, anchors) == "" {
			t.Errorf("link %q resolved; it should not", dest)
		}
	}
	for _, dest := range []string{"README.md", "#limits-and-exit-codes", "docs/", "https://example.com/x"} {
		if problem := resolve(root, "README.md", dest, anchors); problem != "" {
			t.Errorf("link %q: %s", dest, problem)
		}
	}
}

// TestScreensMadeByTheCurrentScript fails when docs/screens/make, which holds the key
// sequences of every screen, changed after it last ran: the SVGs in README would show
// screens the script no longer makes. Run docs/screens/make to make them again.
func TestScreensMadeByTheCurrentScript(t *testing.T) {
	root := repoRoot(t)
	sums, err := os.ReadFile(filepath.Join(root, "docs", "screens", "inputs.sha256"))
	if err != nil {
		t.Fatalf("%v: run docs/screens/make", err)
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(sums)), "\n") {
		want, file, ok := strings.Cut(line, "  ")
		if !ok {
			t.Fatalf("inputs.sha256: %q is not a sha256sum line", line)
		}
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(file)))
		if err != nil {
			t.Fatal(err)
		}
		// A checkout that turned line endings into CRLF still holds the same script.
		sum := sha256.Sum256(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")))
		if got := hex.EncodeToString(sum[:]); got != want {
			t.Errorf("%s changed since the screens were made: run docs/screens/make and commit the SVGs", file)
		}
		checked++
	}
	if checked == 0 {
		t.Error("inputs.sha256 names no input")
	}
}

// TestReadmeShowsScreens: README shows at least two of the screens the script makes.
func TestReadmeShowsScreens(t *testing.T) {
	root := repoRoot(t)
	src, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	shown := 0
	for _, l := range links(src) {
		if strings.HasPrefix(l.dest, "docs/screens/") && strings.HasSuffix(l.dest, ".svg") {
			shown++
		}
	}
	if shown < 2 {
		t.Errorf("README shows %d screens from docs/screens/, want at least 2", shown)
	}
}
