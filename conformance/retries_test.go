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

// TestMayRepeat: a read and a delete are always safe to send again; a
// create only when phones/get shows its line does not exist, and never
// for a name the run did not issue; another function never.
func TestMayRepeat(t *testing.T) {
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
	s := &suite{
		prof:   profile.Profile{Admin: profile.Account{Username: "user", Password: "password"}, Cleanup: "phones/delete"},
		ledger: lines.New("97", "1", 10),
		client: target.New(srv.URL, target.Options{Timeout: 5 * time.Second}),
	}
	defer s.client.Close()
	name := s.ledger.Name()
	cases := []struct {
		name    string
		r       target.Request
		get     wire.Code
		want    bool
		probing bool
	}{
		{"phones/get", s.getRequest(name), wire.OK, true, false},
		{"the cleanup function", target.Request{Function: "phones/delete"}, wire.OK, true, false},
		{"a create whose line does not exist", s.createRequest(name), wire.NotFound, true, true},
		{"a create whose line exists", s.createRequest(name), wire.OK, false, true},
		{"a create phones/get cannot tell about", s.createRequest(name), wire.ServerProblem, false, true},
		{"a create of a name the run did not issue", s.createRequest("5551234"), wire.NotFound, false, false},
		{"another function", target.Request{Function: "phones/list"}, wire.NotFound, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			getCode.Store(tc.get)
			before := gets.Load()
			if got := s.mayRepeat(context.Background(), tc.r); got != tc.want {
				t.Errorf("mayRepeat = %t; want %t", got, tc.want)
			}
			if probed := gets.Load() > before; probed != tc.probing {
				t.Errorf("phones/get sent: %t; want %t", probed, tc.probing)
			}
		})
	}
}
