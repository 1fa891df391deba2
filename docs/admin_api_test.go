package docs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAdminAPIExampleIsTheTestedOne: admin-api.md quotes mocktest's
// example test whole, as the file the test run compiles and runs has it.
func TestAdminAPIExampleIsTheTestedOne(t *testing.T) {
	example, err := os.ReadFile(filepath.Join(repoRoot, "mockserver", "mocktest", "example_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("admin-api.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "```go\n"+string(example)+"```\n") {
		t.Error("admin-api.md does not quote mockserver/mocktest/example_test.go as it is: copy the file into its go block")
	}
}
