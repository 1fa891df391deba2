package mockserver_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/mockserver"
)

// The default fixtures' accounts and lines (fixtures/default.yaml).
const (
	adminAuth     = "auth_username=user&auth_password=password"
	wholesaleAuth = "auth_username=whole&auth_password=whole-secret"
	clerkAuth     = "auth_username=clerk&auth_password=clerk-secret"
	noPlanAuth    = "auth_username=noplan&auth_password=noplan-secret"
	ownLine       = "1001" // customer 1, password line-secret
	otherLine     = "2001" // customer 2, password other-secret
)

// theContract is the contract, loaded once for all tests; it is only read.
var theContract = sync.OnceValue(contract.MustLoad)

// answer is what the mock sent back.
type answer struct {
	status      int
	contentType string
	body        []byte
	outcome     wire.Outcome
}

func (a answer) String() string { return string(a.body) }

// mustNew builds a mock on the default fixtures for version ("" = newest).
func mustNew(tb testing.TB, version string) *mockserver.Server {
	tb.Helper()
	opts := mockserver.Options{}
	if version != "" {
		opts.Version = mustVersion(tb, version)
	}
	s, err := mockserver.NewWithContract(theContract(), opts)
	if err != nil {
		tb.Fatalf("New(%s): %v", version, err)
	}
	return s
}

func mustVersion(tb testing.TB, s string) contract.Version {
	tb.Helper()
	v, err := contract.ParseVersion(s)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// serve sends one request through h and decodes the envelope strictly.
func serve(tb testing.TB, h http.Handler, method, target, body string) answer {
	tb.Helper()
	var r *http.Request
	if body != "" || method == http.MethodPost {
		r = httptest.NewRequest(method, target, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		r = httptest.NewRequest(method, target, nil)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return decode(tb, w.Result())
}

func decode(tb testing.TB, res *http.Response) answer {
	tb.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	a := answer{status: res.StatusCode, contentType: res.Header.Get("Content-Type"), body: b}
	if a.outcome, err = wire.Decode(b); err != nil {
		tb.Fatalf("answer %s: %v", b, err)
	}
	return a
}

// call sends GET /api/json/FUNCTION/?query.
func call(tb testing.TB, h http.Handler, function, query string) answer {
	tb.Helper()
	return serve(tb, h, http.MethodGet, "/api/json/"+function+"/?"+query, "")
}

// mustOutcome fails unless a carries code and key.
func mustOutcome(tb testing.TB, a answer, code wire.Code, key string) {
	tb.Helper()
	if a.outcome.Code != code || a.outcome.Key != key {
		tb.Fatalf("answer = %s; want code %s key %q", a, code, key)
	}
}

// mustCreate creates a line as the administrator and fails unless it is 204.
func mustCreate(tb testing.TB, h http.Handler, query string) {
	tb.Helper()
	mustOutcome(tb, call(tb, h, "phones/create", adminAuth+"&"+query), wire.Created, "")
}

// mustGet reads a line back as the administrator with its password.
func mustGet(tb testing.TB, h http.Handler, name string) map[string]any {
	tb.Helper()
	a := call(tb, h, "phones/get", adminAuth+"&password=1&name="+name)
	mustOutcome(tb, a, wire.OK, "")
	var data map[string]any
	if err := jsonUnmarshal(a.outcome.Data, &data); err != nil {
		tb.Fatalf("data of %s: %v", a, err)
	}
	return data
}

// jsonUnmarshal decodes numbers as json.Number, so integers and decimals
// compare exactly.
func jsonUnmarshal(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return dec.Decode(v)
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
