package mockserver_test

import (
	"bytes"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/internal/wire"
)

// vendorExample is the vendor page's example request, verbatim but for the
// host, and the answer the page shows (whitespace aside).
const (
	vendorExample = "/api/json/phones/create/?auth_username=user;auth_password=password;name=1234567;password=secret"
	vendorAnswer  = `{"responses":[{"code":"204","key":"","message":"OK"}]}`
)

// TestVendorExample: the vendor's example URL over real HTTP is answered
// with exactly the vendor's body, and net/http logs no warning about its
// `;` separators.
func TestVendorExample(t *testing.T) {
	var serverLog bytes.Buffer
	ts := httptest.NewUnstartedServer(mustNew(t, ""))
	ts.Config.ErrorLog = log.New(&serverLog, "", 0)
	ts.Start()
	defer ts.Close()

	res, err := http.Get(ts.URL + vendorExample)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/json" {
		t.Errorf("HTTP %d %s; want 200 application/json", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if string(body) != vendorAnswer {
		t.Errorf("body = %s; want %s", body, vendorAnswer)
	}
	if serverLog.Len() > 0 {
		t.Errorf("net/http logged %q; want nothing", serverLog.String())
	}
	res, err = http.Get(ts.URL + "/api/json/phones/get/?auth_username=user;auth_password=password;name=1234567")
	if err != nil {
		t.Fatal(err)
	}
	a := decode(t, res)
	mustOutcome(t, a, wire.OK, "")
	if !strings.Contains(string(a.outcome.Data), `"name":"1234567"`) {
		t.Errorf("get data = %s; want the line", a.outcome.Data)
	}
}

// TestTransport: separators, trailing slash, POST forms, repeated and
// unknown parameters (wire-contract.md: transport).
func TestTransport(t *testing.T) {
	const auth = "auth_username=user&auth_password=password"
	cases := []struct {
		name, method, target, body string
		code                       wire.Code
		key                        string
		stored                     map[string]string // read back from line 97100
	}{
		{"ampersands", "GET", "/api/json/phones/create/?" + auth + "&name=97100&password=x&acr=1", "", wire.Created, "", map[string]string{"acr": "1"}},
		{"semicolons", "GET", "/api/json/phones/create/?auth_username=user;auth_password=password;name=97100;password=x;acr=1", "", wire.Created, "", map[string]string{"acr": "1"}},
		{"mixed separators", "GET", "/api/json/phones/create/?auth_username=user;auth_password=password&name=97100;password=x&acr=1", "", wire.Created, "", map[string]string{"acr": "1"}},
		{"no trailing slash", "GET", "/api/json/phones/create?" + auth + "&name=97100&password=x", "", wire.Created, "", nil},
		{"escaped separator in a value", "GET", "/api/json/phones/create/?" + auth + "&name=97100&password=x&description=a%3Bb%26c", "", wire.Created, "", map[string]string{"description": "a;b&c"}},
		{"POST form", "POST", "/api/json/phones/create/", auth + "&name=97100&password=x&acr=1", wire.Created, "", map[string]string{"acr": "1"}},
		{"POST form with semicolons", "POST", "/api/json/phones/create", "auth_username=user;auth_password=password;name=97100;password=x", wire.Created, "", nil},
		{"POST query and body count", "POST", "/api/json/phones/create/?" + auth, "name=97100&password=x&acr=1", wire.Created, "", map[string]string{"acr": "1"}},
		{"POST query first", "POST", "/api/json/phones/create/?" + auth + "&name=97100&acr=1", "name=97101&password=x&acr=0", wire.Created, "", map[string]string{"acr": "1"}},
		{"POST body checked", "POST", "/api/json/phones/create/", auth + "&name=97100&password=x&acr=abc", wire.Invalid, "acr", nil},
		{"repeated: first counts", "GET", "/api/json/phones/create/?" + auth + "&name=97100&password=x&acr=1&acr=abc", "", wire.Created, "", map[string]string{"acr": "1"}},
		{"repeated: first counts, bad first", "GET", "/api/json/phones/create/?" + auth + "&name=97100&password=x&acr=abc&acr=1", "", wire.Invalid, "acr", nil},
		{"unknown parameters ignored", "GET", "/api/json/phones/create/?" + auth + "&name=97100&password=x&colour=blue&acr2=abc", "", wire.Created, "", nil},
		{"flag without value", "GET", "/api/json/phones/create/?" + auth + "&name=97100&password=x&acr", "", wire.Invalid, "acr", nil},
	}
	s := mustNew(t, "")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_ = s.Reset()
			a := serve(t, s, tc.method, tc.target, tc.body)
			if a.status != http.StatusOK || a.contentType != "application/json" {
				t.Errorf("HTTP %d %s; want 200 application/json", a.status, a.contentType)
			}
			mustOutcome(t, a, tc.code, tc.key)
			if tc.code != wire.Created {
				return
			}
			data := mustGet(t, s, "97100")
			for param, want := range tc.stored {
				if got := stringOf(data[param]); got != want {
					t.Errorf("%s = %s; want %s", param, got, want)
				}
			}
		})
	}
}

func stringOf(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := jsonMarshal(v)
	return string(b)
}

// TestNotAnAPIAnswer: unknown functions and paths, methods the API does not
// take, and requests that cannot be read answer with a non-200 status, still
// in the envelope (wire-contract.md: only a broken request may leave 200).
func TestNotAnAPIAnswer(t *testing.T) {
	cases := []struct {
		name, method, target, contentType, body string
		status                                  int
		code                                    wire.Code
	}{
		{"unknown function", "GET", "/api/json/phones/list/?" + adminAuth, "", "", http.StatusNotFound, wire.NotFound},
		{"function below a known one", "GET", "/api/json/phones/create/now", "", "", http.StatusNotFound, wire.NotFound},
		{"api root", "GET", "/api/json/", "", "", http.StatusNotFound, wire.NotFound},
		{"outside the api", "GET", "/index.html", "", "", http.StatusNotFound, wire.NotFound},
		{"method", "PUT", "/api/json/phones/create/", "", "", http.StatusMethodNotAllowed, wire.Invalid},
		{"malformed escape in the query", "GET", "/api/json/phones/create/?" + adminAuth + "&name=%zz", "", "", http.StatusBadRequest, wire.Invalid},
		{"malformed escape in the body", "POST", "/api/json/phones/create/", "application/x-www-form-urlencoded", adminAuth + "&name=%zz", http.StatusBadRequest, wire.Invalid},
		{"body over the limit", "POST", "/api/json/phones/create/", "application/x-www-form-urlencoded", adminAuth + "&description=" + strings.Repeat("a", 1<<20), http.StatusRequestEntityTooLarge, wire.Invalid},
		{"body not a form", "POST", "/api/json/phones/create/", "application/json", `{"name":"97100"}`, http.StatusUnsupportedMediaType, wire.Invalid},
		{"reset by GET", "GET", "/_mock/reset", "", "", http.StatusMethodNotAllowed, wire.Invalid},
	}
	s := mustNew(t, "")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.body))
			if tc.contentType != "" {
				r.Header.Set("Content-Type", tc.contentType)
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			a := decode(t, w.Result())
			if a.status != tc.status || a.outcome.Code != tc.code || a.contentType != "application/json" {
				t.Errorf("answer = HTTP %d %s %s; want HTTP %d code %s", a.status, a.contentType, a, tc.status, tc.code)
			}
		})
	}
}

// TestHealthAndReset: /healthz answers; POST /_mock/reset restores the
// fixtures: created lines go, deleted fixture lines come back.
func TestHealthAndReset(t *testing.T) {
	s := mustNew(t, "3.14")
	a := serve(t, s, "GET", "/healthz", "")
	mustOutcome(t, a, wire.OK, "")
	if !strings.Contains(string(a.outcome.Data), `"version":"3.14"`) {
		t.Errorf("healthz data = %s; want the version", a.outcome.Data)
	}
	mustCreate(t, s, "name=97100&password=x")
	mustOutcome(t, call(t, s, "phones/delete", adminAuth+"&name="+ownLine), wire.Created, "")
	mustOutcome(t, serve(t, s, "POST", "/_mock/reset", ""), wire.OK, "")
	mustOutcome(t, call(t, s, "phones/get", adminAuth+"&name=97100"), wire.NotFound, "name")
	mustOutcome(t, call(t, s, "phones/get", adminAuth+"&name="+ownLine), wire.OK, "")
}
