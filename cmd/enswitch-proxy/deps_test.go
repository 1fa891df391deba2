package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestProxyLinksNoMock: the proxy takes the wire (limits, reading, checks,
// masking) from internal/wire, so its binary links neither the mock nor
// the mock's state stores (PostgreSQL, bbolt).
func TestProxyLinksNoMock(t *testing.T) {
	out, err := exec.Command(goTool(), "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"github.com/enswitch-kit/phones/mockserver", "github.com/jackc/pgx", "go.etcd.io/bbolt"} {
			if dep == banned || strings.HasPrefix(dep, banned+"/") {
				t.Errorf("enswitch-proxy depends on %s", dep)
			}
		}
	}
}

// goTool is the go command that runs this test: GOROOT's, which go test
// sets, else the one on PATH.
func goTool() string {
	if root := os.Getenv("GOROOT"); root != "" {
		if p := filepath.Join(root, "bin", "go"); fileExists(p) {
			return p
		}
	}
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return "go"
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
