package thirdparty

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// dreddSummary is Dredd's last count, e.g. "complete: 24 passing, 0
// failing, 0 errors, 0 skipped, 24 total".
var dreddSummary = regexp.MustCompile(`complete: (\d+) passing, (\d+) failing, (\d+) errors, (\d+) skipped, (\d+) total`)

// TestDreddPassesEveryTransaction runs Dredd on the document against the
// mock, with the hooks that give it form bodies and broken requests: one
// transaction per declared answer of every operation, each passing.
func TestDreddPassesEveryTransaction(t *testing.T) {
	t.Parallel()
	dredd := mustTool(t, "dredd")
	doc, err := filepath.Abs(document)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(dredd, doc, startMock(t), "--hookfiles", "testdata/dredd-hooks.js", "--color=false")
	cmd.Env = append(os.Environ(),
		"DREDD_OPENAPI="+doc,
		// The hooks read the document with Dredd's own YAML reader.
		"NODE_PATH="+filepath.Dir(os.Getenv(toolsEnv)))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("dredd: %v\n%s", err, out)
	}
	m := dreddSummary.FindSubmatch(out)
	if m == nil {
		t.Fatalf("dredd printed no summary\n%s", out)
	}
	n := declaredAnswers(t)
	want := fmt.Sprintf("complete: %d passing, 0 failing, 0 errors, 0 skipped, %d total", n, n)
	if string(m[0]) != want {
		t.Errorf("dredd: %s; want %s\n%s", m[0], want, out)
	}
}

// declaredAnswers counts the answers the document declares, over every
// operation: Dredd makes a transaction of each.
func declaredAnswers(t *testing.T) int {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromFile(document)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			n += op.Responses.Len()
		}
	}
	return n
}
