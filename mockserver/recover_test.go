package mockserver

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/internal/wire"
)

// TestPanicBecomesAnEnvelope: a handler that panics still answers with the
// envelope (code 500, never a dropped connection), and the server lives on.
func TestPanicBecomesAnEnvelope(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "/api/json/phones/create/", nil)
	func() {
		c := &call{function: fnCreate}
		defer s.out.finish(w, r, c, time.Now())
		panic("a bug in the mock")
	}()
	out, err := wire.Decode(w.Body.Bytes())
	if err != nil || out.Code != wire.ServerProblem || w.Code != http.StatusInternalServerError {
		t.Errorf("answer = HTTP %d %s (%v); want HTTP 500 with envelope code 500", w.Code, w.Body, err)
	}
}
