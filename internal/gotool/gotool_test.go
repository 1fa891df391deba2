package gotool_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/internal/gotool"
)

// TestPathRunsTheToolchain: the command found runs and reports a Go
// version.
func TestPathRunsTheToolchain(t *testing.T) {
	out, err := exec.Command(gotool.Path(), "version").Output()
	if err != nil || !strings.HasPrefix(string(out), "go version go") {
		t.Fatalf("%s version = %q, %v; want \"go version go…\"", gotool.Path(), out, err)
	}
}

// TestPathFollowsGOROOT: a GOROOT without a go command is passed over.
func TestPathFollowsGOROOT(t *testing.T) {
	t.Setenv("GOROOT", t.TempDir())
	if p := gotool.Path(); !strings.HasSuffix(p, "go") {
		t.Fatalf("Path() = %q; want a go command", p)
	}
	if out, err := exec.Command(gotool.Path(), "version").Output(); err != nil {
		t.Fatalf("%s version: %v (%s)", gotool.Path(), err, out)
	}
}
