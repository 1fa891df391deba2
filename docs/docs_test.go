package docs

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// repoRoot is the repository, seen from this package's directory.
const repoRoot = ".."

var (
	// docRef is a Markdown document named in text: wire-contract.md,
	// docs/target-profile.md.
	docRef = regexp.MustCompile(`[A-Za-z0-9_./-]*[A-Za-z0-9_-]\.md\b`)
	// issueRef is a tracker reference, which no reader of the repository
	// can follow.
	issueRef = regexp.MustCompile(`(?i)\bissues?\s*#?\d+`)
)

// TestCodeCitesOnlyDocumentsInTheRepository: every comment and string of
// every Go file outside gen/ names only Markdown documents the repository
// holds, and no issue number.
func TestCodeCitesOnlyDocumentsInTheRepository(t *testing.T) {
	docs, goFiles := scan(t, repoRoot)
	if len(goFiles) < 20 || !docs.has("wire-contract.md") || !docs.has("target-profile.md") {
		t.Fatalf("found %d Go files and documents %v; the walk missed the repository", len(goFiles), docs)
	}
	for _, file := range goFiles {
		src, err := os.ReadFile(filepath.Join(repoRoot, file))
		if err != nil {
			t.Fatal(err)
		}
		problems, err := citations(file, src, docs)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range problems {
			t.Error(p)
		}
	}
}

// TestCitationsCatchesBadReferences: the check above fails on a file
// that cites what the repository lacks (testdata, which the walk skips).
func TestCitationsCatchesBadReferences(t *testing.T) {
	src, err := os.ReadFile("testdata/cites.go.txt")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/cites.want")
	if err != nil {
		t.Fatal(err)
	}
	docs := documents{"wire-contract.md": true, "docs/wire-contract.md": true}
	problems, err := citations("x.go", src, docs)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(problems, "\n") + "\n"; got != string(want) {
		t.Errorf("problems:\n%s\nwant:\n%s", got, want)
	}
}

// documents are the repository's Markdown files, by path from the root
// and by base name.
type documents map[string]bool

func (d documents) has(ref string) bool {
	if strings.Contains(ref, "/") {
		clean := path.Clean(ref)
		return !strings.HasPrefix(clean, "..") && d[clean]
	}
	return d[ref]
}

// scan lists the Markdown documents and the Go files to check (every one
// outside gen/ and hidden or ignored folders), relative to root.
func scan(t *testing.T, root string) (documents, []string) {
	t.Helper()
	docs := documents{}
	var goFiles []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || rel == "gen" || rel == "bin" || d.Name() == "node_modules" || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case strings.HasSuffix(rel, ".md"):
			docs[rel], docs[path.Base(rel)] = true, true
		case strings.HasSuffix(rel, ".go"):
			goFiles = append(goFiles, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return docs, goFiles
}

// citations lists what the comments and string literals of one Go file
// cite that a reader of the repository cannot follow.
func citations(name string, src []byte, docs documents) ([]string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	var problems []string
	check := func(pos token.Pos, text string) {
		line := fset.Position(pos).Line
		for i, l := range strings.Split(text, "\n") {
			for _, ref := range docRef.FindAllString(l, -1) {
				if !docs.has(ref) {
					problems = append(problems, name+":"+strconv.Itoa(line+i)+": cites "+ref+", which is not in the repository")
				}
			}
			for _, ref := range issueRef.FindAllString(l, -1) {
				problems = append(problems, name+":"+strconv.Itoa(line+i)+": cites an issue ("+strconv.Quote(ref)+"); say what it means instead")
			}
		}
	}
	for _, group := range f.Comments {
		for _, c := range group.List {
			check(c.Pos(), c.Text)
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			check(lit.Pos(), lit.Value)
		}
		return true
	})
	return problems, nil
}

// TestInstallCommandsResolve: the module is not published (README.md:
// install), so no shell block of a document tells a reader to `go
// install …@latest`, which fails; text may still say that it does not
// resolve.
func TestInstallCommandsResolve(t *testing.T) {
	mds, err := filepath.Glob(filepath.Join(repoRoot, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	mds = append(mds, filepath.Join(repoRoot, "README.md"))
	for _, md := range mds {
		data, err := os.ReadFile(md)
		if err != nil {
			t.Fatal(err)
		}
		inBlock := false
		for i, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "```") {
				inBlock = !inBlock
				continue
			}
			if inBlock && strings.Contains(line, "go install") && strings.Contains(line, "@latest") {
				t.Errorf("%s:%d: %s; want the README's install from a checkout", filepath.Base(md), i+1, strings.TrimSpace(line))
			}
		}
	}
}
