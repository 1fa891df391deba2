package e2e_test

import (
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/pgtest"
	"github.com/enswitch-kit/phones/mockserver"
	"github.com/enswitch-kit/phones/mockserver/store"
	"github.com/enswitch-kit/phones/mockserver/store/bolt"
	"github.com/enswitch-kit/phones/mockserver/store/postgres"
)

// TestSuitePassesOnDurableState: the whole suite on the newest version
// against a mock keeping its lines in a file, and against two replicas on
// one PostgreSQL behind a round-robin balancer, so that a line created on
// one is read and deleted on the other.
func TestSuitePassesOnDurableState(t *testing.T) {
	v := contract.MustLoad().Latest().Version().String()
	profilePath := mustProfile(t)
	cases := []struct {
		name    string
		handler func(t *testing.T) http.Handler
	}{
		{"file", func(t *testing.T) http.Handler {
			return stateMock(t, v, bolt.File(filepath.Join(t.TempDir(), "state.db")))
		}},
		{"postgres-two-replicas", func(t *testing.T) http.Handler {
			state := postgres.Database{URL: pgtest.Schema(t)}
			return roundRobin(stateMock(t, v, state), stateMock(t, v, state))
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := run(t, c.handler(t), v, profilePath, "--seed", "4", "--fuzz-cases", "300")
			if r.code != 0 || !strings.Contains(r.out, "enswitch-conformance: PASS") {
				t.Fatalf("exit %d against the mock on %s; want 0 and PASS\n%s", r.code, c.name, r.tail())
			}
			if !strings.Contains(r.out, "0 left behind") {
				t.Errorf("output lacks %q\n%s", "0 left behind", r.tail())
			}
		})
	}
}

func stateMock(t *testing.T, version string, state store.Opener) *mockserver.Server {
	t.Helper()
	m, err := mockserver.New(mockserver.Options{Version: mustVersion(t, version), Store: state})
	if err != nil {
		t.Fatalf("mockserver.New(Store %s): %v", state, err)
	}
	t.Cleanup(func() { _ = m.Close() })
	return m
}

// roundRobin sends each request to the next of hs in turn, as a load
// balancer in front of replicas does.
func roundRobin(hs ...http.Handler) http.Handler {
	var n atomic.Uint64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hs[(n.Add(1)-1)%uint64(len(hs))].ServeHTTP(w, r)
	})
}
