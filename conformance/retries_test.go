package conformance

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/internal/wire"
)

// TestRepeatsAreSafe: a read and a delete are always safe to send again; a
// create only when phones/get shows its line does not exist, and never
// for a name the run did not issue; another function never.
func TestRepeatsAreSafe(t *testing.T) {
	var getCode atomic.Value
	var gets atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "phones/get") {
			gets.Add(1)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(wire.Marshal(getCode.Load().(wire.Code), "", "", nil))
	}))
	defer srv.Close()
	q := requests{prof: profile.Profile{Admin: profile.Account{Username: "user", Password: "password"}, Cleanup: "phones/delete"}}
	p := &repeats{
		req:     q,
		cleanup: q.prof.Cleanup,
		ledger:  lines.New("97", "1", 10),
		client:  target.New(srv.URL, target.Options{Timeout: 5 * time.Second}),
	}
	defer p.client.Close()
	name := p.ledger.Name()
	cases := []struct {
		name    string
		r       target.Request
		get     wire.Code
		want    bool
		probing bool
	}{
		{"phones/get", q.get(name), wire.OK, true, false},
		{"the cleanup function", target.Request{Function: "phones/delete"}, wire.OK, true, false},
		{"a create whose line does not exist", q.create(name), wire.NotFound, true, true},
		{"a create whose line exists", q.create(name), wire.OK, false, true},
		{"a create phones/get cannot tell about", q.create(name), wire.ServerProblem, false, true},
		{"a create of a name the run did not issue", q.create("5551234"), wire.NotFound, false, false},
		{"another function", target.Request{Function: "phones/list"}, wire.NotFound, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			getCode.Store(tc.get)
			before := gets.Load()
			if got := p.safe(context.Background(), tc.r); got != tc.want {
				t.Errorf("safe = %t; want %t", got, tc.want)
			}
			if probed := gets.Load() > before; probed != tc.probing {
				t.Errorf("phones/get sent: %t; want %t", probed, tc.probing)
			}
		})
	}
}
