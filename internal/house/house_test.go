package house

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/coreography/coreography"

// leaves are the project's small utilities, which import no project package but
// another leaf, so any package may use them without bending the layers: DESIGN.md's
// table leaves them out.
var leaves = []string{"internal/inputfile", "internal/termsafe", "internal/tty", "internal/safefile"}

// mayImport is DESIGN.md's table: the project packages each package's code (not its
// tests) imports, at most, besides the standard library, third-party modules and the
// leaves. A package missing here fails the test: a new package gets a row, here and
// in DESIGN.md. "ui/..." is ui and every package below it.
var mayImport = map[string][]string{
	"internal/timeline":   {},
	"internal/experiment": {"internal/timeline"},
	"internal/speedup":    {"internal/experiment", "internal/timeline"},
	"internal/procwatch":  {"internal/timeline"},
	// The one "run again while disturbed" policy, which DESIGN.md gives calibrate, is a
	// package of its own that calibrate, scale and the player share.
	"internal/undisturbed": {"internal/experiment", "internal/timeline"},
	"pools":                {"internal/experiment", "internal/timeline", "internal/procwatch", "assets", "pools/cpython"},
	"pools/cpython":        {"internal/experiment", "internal/timeline", "internal/procwatch", "assets"},
	"sim":                  {"internal/experiment", "internal/timeline"},
	"internal/calibrate":   {"pools", "sim", "internal/experiment", "internal/timeline", "internal/undisturbed"},
	// lessons also fits Amdahl's law to a lesson's runs (serial_fraction): the one fit,
	// speedup's, which imports nothing that could bend the layers.
	"lessons":              {"internal/experiment", "assets", "internal/speedup"},
	"internal/lessonwatch": {"lessons"},
	// A lesson's reference runs, recorded on a quiet machine: traces checked against
	// the lesson's specs.
	"internal/reference": {"internal/experiment", "internal/timeline", "lessons"},
	"assets":             {},
	"ui/...":             {"internal/experiment", "internal/timeline", "lessons", "internal/speedup", "internal/undisturbed", "ui/..."},
	"internal/class":     {"ui/...", "internal/experiment", "internal/timeline", "lessons"},
	"internal/cli":       {"*"},
	".":                  {"internal/cli"},
	"internal/docscheck": {},
	"internal/house":     {},
	"e2e":                {},
}

// neverDependOn are DESIGN.md's rules that hold through any chain of imports.
var neverDependOn = map[string][]string{
	"ui/...": {"pools", "sim", "internal/calibrate"},
	"pools":  {"sim", "lessons", "ui/..."},
	"sim":    {"pools", "lessons", "ui/..."},
}

// rowFor finds pkg's row: its own, or a "dir/..." row above it.
func rowFor[V any](table map[string]V, pkg string) (V, bool) {
	if v, ok := table[pkg]; ok {
		return v, true
	}
	for key, v := range table {
		if dir, ok := strings.CutSuffix(key, "/..."); ok && (pkg == dir || strings.HasPrefix(pkg, dir+"/")) {
			return v, true
		}
	}
	var zero V
	return zero, false
}

// matches reports whether pkg is one of patterns ("*" is any, "dir/..." a subtree).
func matches(pkg string, patterns []string) bool {
	for _, p := range patterns {
		dir, tree := strings.CutSuffix(p, "/...")
		if p == "*" || p == pkg || tree && (pkg == dir || strings.HasPrefix(pkg, dir+"/")) {
			return true
		}
	}
	return false
}

type listed struct {
	ImportPath string
	Dir        string
	Imports    []string
	Deps       []string
	GoFiles    []string
}

// projectPackages lists every package of the module with go list, as the project's
// own paths ("pools", "internal/cli", "." for the root).
func projectPackages(t *testing.T) []listed {
	t.Helper()
	if testing.Short() {
		t.Skip("lists every package with go list")
	}
	cmd := exec.Command("go", "list", "-json", "./...")
	cmd.Dir = repoRoot(t)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []listed
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p listed
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		p.ImportPath = local(p.ImportPath)
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// local is a project import path relative to the module ("." for the module itself),
// or "" for any other.
func local(path string) string {
	if path == module {
		return "."
	}
	if rest, ok := strings.CutPrefix(path, module+"/"); ok {
		return rest
	}
	return ""
}

func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatalf("no go.mod at %s: %v", dir, err)
	}
	return dir
}

func TestImportGraphFollowsDesign(t *testing.T) {
	for _, p := range projectPackages(t) {
		allowed, ok := rowFor(mayImport, p.ImportPath)
		if slices.Contains(leaves, p.ImportPath) {
			allowed, ok = nil, true // a leaf imports no project package but leaves
		}
		if !ok {
			t.Errorf("%s has no row in DESIGN.md's table (and this test's mayImport): give it one", p.ImportPath)
			continue
		}
		for _, imp := range p.Imports {
			l := local(imp)
			if l == "" || matches(l, allowed) || slices.Contains(leaves, l) {
				continue
			}
			t.Errorf("%s imports %s; DESIGN.md allows it only %v (and the leaves %v)", p.ImportPath, l, allowed, leaves)
		}
		never, ok := rowFor(neverDependOn, p.ImportPath)
		if !ok {
			continue
		}
		deps := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", module+"/"+strings.TrimPrefix(p.ImportPath, "."))
		deps.Dir = repoRoot(t)
		out, err := deps.Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", p.ImportPath, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			if l := local(dep); l != "" && matches(l, never) {
				t.Errorf("%s depends on %s (through its imports); DESIGN.md: never", p.ImportPath, l)
			}
		}
	}
}

// The house's size limits: a file that needs more lines wants a boundary, not a cut.
const (
	maxFileLines = 400
	maxFuncLines = 60
)

// pendingOversize names what a change under way is still cutting down, each with who
// does it ("path" for a file, "path:func" for a function). It is empty: every file
// and function is within the limits. A change that must land over a limit names it
// here, says why, and takes it off when it is cut; the test fails on a stale entry.
var pendingOversize = map[string]string{}

func TestFilesAndFunctionsStaySmall(t *testing.T) {
	root := repoRoot(t)
	seen := map[string]bool{}
	fset := token.NewFileSet()
	for _, p := range projectPackages(t) {
		for _, name := range p.GoFiles {
			path := filepath.Join(p.Dir, name)
			rel, _ := filepath.Rel(root, path)
			rel = filepath.ToSlash(rel)
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			if n := fset.Position(f.End()).Line; n > maxFileLines {
				if oversize(t, seen, rel) {
					t.Errorf("%s has %d lines; the house allows %d", rel, n, maxFileLines)
				}
			}
			for _, d := range f.Decls {
				fn, ok := d.(*ast.FuncDecl)
				if !ok || fn.Body == nil {
					continue
				}
				n := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1
				if n > maxFuncLines && oversize(t, seen, rel+":"+fn.Name.Name) {
					t.Errorf("%s: func %s has %d lines; the house allows %d", rel, fn.Name.Name, n, maxFuncLines)
				}
			}
		}
	}
	for key, why := range pendingOversize {
		if !seen[key] {
			t.Errorf("%s (%s) is within the limits now: take it off pendingOversize", key, why)
		}
	}
}

// oversize notes key as over a limit and reports whether that is news (not pending).
func oversize(t *testing.T, seen map[string]bool, key string) bool {
	seen[key] = true
	if why, ok := pendingOversize[key]; ok {
		t.Logf("pending: %s (%s)", key, why)
		return false
	}
	return true
}

// rootEntries are what DESIGN.md allows at the repository's root: the layout this
// project was asked for, then internal/ for everything else, docs, the end-to-end
// tests, CI and the two files every repository has.
var rootEntries = []string{
	"go.mod", "go.sum", "main.go", "ui", "sim", "lessons", "pools", "assets", "README.md",
	"internal", "docs", "e2e", ".ci", "CONTRIBUTING.md", "LICENSE", ".gitignore",
}

func TestRootHoldsOnlyTheLayout(t *testing.T) {
	root := repoRoot(t)
	// What git tracks (a build's binary or an editor's file is nobody's layout); every
	// entry of the folder where git cannot say.
	var names []string
	cmd := exec.Command("git", "ls-files", "-z")
	cmd.Dir = root
	if out, err := cmd.Output(); err == nil {
		for _, f := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
			if top, _, _ := strings.Cut(f, "/"); top != "" && !slices.Contains(names, top) {
				names = append(names, top)
			}
		}
	} else {
		entries, err := os.ReadDir(root)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.Name() != ".git" {
				names = append(names, e.Name())
			}
		}
	}
	if len(names) == 0 {
		t.Fatal("found nothing at the root")
	}
	for _, name := range names {
		if !slices.Contains(rootEntries, name) {
			t.Errorf("%s at the repository's root: DESIGN.md allows only %v", name, rootEntries)
		}
	}
}
