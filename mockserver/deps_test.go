package mockserver_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/internal/gotool"
)

// TestMockLinksNoStoreDriver: the mock is lean enough to link into any
// binary (the conformance suite runs it in process): the drivers of the
// durable stores, PostgreSQL's and bbolt's, come only with the packages
// store/postgres and store/bolt, which a command or a test hands in.
func TestMockLinksNoStoreDriver(t *testing.T) {
	out, err := exec.Command(gotool.Path(), "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"github.com/jackc/pgx", "go.etcd.io/bbolt",
			"github.com/enswitch-kit/phones/mockserver/store/bolt", "github.com/enswitch-kit/phones/mockserver/store/postgres"} {
			if dep == banned || strings.HasPrefix(dep, banned+"/") {
				t.Errorf("mockserver depends on %s", dep)
			}
		}
	}
}
