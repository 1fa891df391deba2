package conformance

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/internal/wire"
)

// TestDeleteLineAsksUntilItAnswers: a delete answered code 500, or not
// HTTP 200, is sent again until it says 204 or 404, at most deleteTries
// times; any other answer is the target's word and is not asked again.
func TestDeleteLineAsksUntilItAnswers(t *testing.T) {
	cases := []struct {
		name    string
		answers []func(http.ResponseWriter)
		sent    int
		want    wire.Code
	}{
		{"204 at once", []func(http.ResponseWriter){envelope(wire.Created)}, 1, wire.Created},
		{"code 500 twice, then 204", []func(http.ResponseWriter){envelope(wire.ServerProblem), envelope(wire.ServerProblem), envelope(wire.Created)}, 3, wire.Created},
		{"HTTP 502, then 404", []func(http.ResponseWriter){status(http.StatusBadGateway), envelope(wire.NotFound)}, 2, wire.NotFound},
		{"401 is not asked again", []func(http.ResponseWriter){envelope(wire.Unauthorized), envelope(wire.Created)}, 1, wire.Unauthorized},
		{"code 500 every time", []func(http.ResponseWriter){envelope(wire.ServerProblem)}, deleteTries, wire.ServerProblem},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				i := int(n.Add(1)) - 1
				tc.answers[min(i, len(tc.answers)-1)](w)
			}))
			defer srv.Close()
			prof := profile.Profile{Admin: profile.Account{Username: "user", Password: "password"}, Cleanup: "phones/delete"}
			w := &sweeper{
				req:     requests{prof: prof},
				cleanup: prof.Cleanup,
				ledger:  lines.New("97", "1", 10),
				client:  target.New(srv.URL, target.Options{Timeout: 5 * time.Second, Retry: target.Retry{Seed: 1}}),
			}
			defer w.client.Close()
			a := w.deleteLine(context.Background(), w.ledger.Name())
			if int(n.Load()) != tc.sent || a.Outcome.Code != tc.want {
				t.Errorf("sent %d times, last code %q; want %d times, %s", n.Load(), a.Outcome.Code, tc.sent, tc.want)
			}
		})
	}
}

func envelope(code wire.Code) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(wire.Marshal(code, "", "", nil))
	}
}

func status(code int) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) { w.WriteHeader(code) }
}
