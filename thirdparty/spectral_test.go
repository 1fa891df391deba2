package thirdparty

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
)

// ruleset is the project's Spectral ruleset: spectral:oas and its own rules.
const ruleset = "../.spectral.yaml"

// spectral lints doc as `make lint` does and returns its output, and
// whether it passed: no error and no warning.
func spectral(t *testing.T, doc string) (string, bool) {
	t.Helper()
	cmd := exec.Command(mustTool(t, "spectral"), "lint", "--ruleset", ruleset, "--fail-severity=warn", doc)
	out, err := cmd.CombinedOutput()
	if exit := (*exec.ExitError)(nil); err != nil && !errors.As(err, &exit) {
		t.Fatalf("run spectral: %v", err)
	}
	return string(out), err == nil
}

// TestSpectralPasses: the document has no error and no warning under
// spectral:oas and the project's rules.
func TestSpectralPasses(t *testing.T) {
	t.Parallel()
	if out, ok := spectral(t, document); !ok {
		t.Errorf("spectral lint %s failed:\n%s", document, out)
	}
}

// TestSpectralFailsOnAMissingExample: a required parameter without an
// example fails the lint, naming the project's rule.
func TestSpectralFailsOnAMissingExample(t *testing.T) {
	t.Parallel()
	doc := mustMutate(t, "      description: User name of the account making the call.\n      example: user\n",
		"      description: User name of the account making the call.\n")
	out, ok := spectral(t, doc)
	if ok || !strings.Contains(out, "required-parameter-example") {
		t.Errorf("spectral on a document whose auth_username has no example: passed=%v; want a failure naming required-parameter-example\n%s", ok, out)
	}
}
