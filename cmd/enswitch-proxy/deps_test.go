package main

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/internal/gotool"
)

// TestProxyLinksNoMock: the proxy takes the wire (limits, reading, checks,
// masking) from internal/wire, so its binary links neither the mock nor
// the mock's state stores (PostgreSQL, bbolt).
func TestProxyLinksNoMock(t *testing.T) {
	out, err := exec.Command(gotool.Path(), "list", "-deps", ".").CombinedOutput()
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
