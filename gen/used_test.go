package gen_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// genImport is this package's import path.
const genImport = "github.com/enswitch-kit/phones/gen"

// TestEveryGeneratedNameIsUsed: generated code earns its place by running
// (generate.go). Every name the generated files declare must be read by a
// non-test Go file of the module outside gen/; a name nothing reads is to be
// dropped from config.yaml, not kept.
func TestEveryGeneratedNameIsUsed(t *testing.T) {
	declared := mustDeclared(t)
	if len(declared) == 0 {
		t.Fatal("the generated files declare nothing: drop gen/ rather than keep it empty")
	}
	used := mustUsed(t, "..")
	for _, name := range declared {
		if !used[name] {
			t.Errorf("gen.%s is generated but no non-test code outside gen/ uses it; exclude it in config.yaml", name)
		}
	}
}

// mustDeclared lists the exported top-level names of gen/*.gen.go (methods
// go with their type).
func mustDeclared(tb testing.TB) []string {
	tb.Helper()
	files, err := filepath.Glob("*.gen.go")
	if err != nil || len(files) == 0 {
		tb.Fatalf("no generated file in gen/ (%v)", err)
	}
	var names []string
	for _, path := range files {
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			tb.Fatal(err)
		}
		for _, d := range f.Decls {
			names = append(names, declNames(d)...)
		}
	}
	return names
}

func declNames(d ast.Decl) []string {
	var names []string
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv == nil && d.Name.IsExported() {
			names = append(names, d.Name.Name)
		}
	case *ast.GenDecl:
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.TypeSpec:
				names = append(names, s.Name.Name)
			case *ast.ValueSpec:
				for _, n := range s.Names {
					names = append(names, n.Name)
				}
			}
		}
	}
	return slices.DeleteFunc(names, func(n string) bool { return !ast.IsExported(n) })
}

// mustUsed is the set of names X that non-test Go files under root, outside
// gen/, testdata and hidden directories, read as gen.X.
func mustUsed(tb testing.TB, root string) map[string]bool {
	tb.Helper()
	used := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && (name == "gen" || name == "testdata" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		addUses(used, f)
		return nil
	})
	if err != nil {
		tb.Fatalf("read the module's Go files: %v", err)
	}
	return used
}

// addUses adds the names f selects from this package, under whatever name
// f imports it.
func addUses(used map[string]bool, f *ast.File) {
	local := ""
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == genImport {
			local = "gen"
			if imp.Name != nil {
				local = imp.Name.Name
			}
		}
	}
	if local == "" {
		return
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == local {
				used[sel.Sel.Name] = true
			}
		}
		return true
	})
}
