package mockserver_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/enswitch-kit/phones/internal/wire"
)

// vendorQuery is the vendor page's example request, `;`-separated.
const vendorQuery = "auth_username=user;auth_password=password;name=1234567;password=secret"

// documentedCodes are the envelope codes the mock may answer with
// (wire-contract.md: outcomes; reading back).
var documentedCodes = map[wire.Code]bool{
	wire.OK: true, wire.Validated: true, wire.Created: true, wire.Invalid: true,
	wire.Unauthorized: true, wire.RoleForbidden: true, wire.PlanForbidden: true, wire.NotFound: true,
}

// fuzzMethods and fuzzPaths are what a fuzzed request's method and path
// bytes choose from, so the engine spends its time on the parameters.
var (
	fuzzMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodHead, "PATCH", "get"}
	fuzzPaths   = []string{"/api/json/phones/create/", "/api/json/phones/create", "/api/json/phones/get/", "/api/json/phones/delete/", "/api/json/phones/nope/", "/healthz", "/_mock/reset", "/"}
)

// fuzzResetEvery bounds the lines a long fuzz run accumulates.
const fuzzResetEvery = 4096

// FuzzServeHTTP sends raw query strings and form bodies, with either
// separator, through Server.ServeHTTP. Every input gets a well-formed
// envelope with a documented code, never a panic or HTTP 500; an HTTP 200
// answer of 400 names the offending parameter in key.
func FuzzServeHTTP(f *testing.F) {
	seeds := []struct {
		method, path byte
		query, body  string
		contentType  string
	}{
		{0, 0, vendorQuery, "", ""},
		{0, 1, strings.ReplaceAll(vendorQuery, ";", "&"), "", ""},
		{1, 0, "", vendorQuery, "application/x-www-form-urlencoded"},
		{1, 0, "auth_username=user", "auth_password=password&name=1234568&password=secret&description=a+b%20c", "application/x-www-form-urlencoded; charset=utf-8"},
		{0, 0, adminAuth + "&name=1234569&copy_password=" + ownLine + "&validation=1", "", ""},
		{0, 0, adminAuth + "&name=1234570&password=x&acr=abc", "", ""},
		{0, 0, adminAuth + "&name=1234571&password=x&cos=0&expect_registered=2&callerid_external=matched_called", "", ""},
		{0, 0, wholesaleAuth + "&name=1234572&password=x&customer=2", "", ""},
		{0, 0, clerkAuth + "&name=1234573&password=x", "", ""},
		{0, 0, noPlanAuth + "&name=1234574&password=x", "", ""},
		{0, 0, adminAuth + "&name=%zz&password=x", "", ""},
		{0, 0, adminAuth + "&name=%ff%fe&password=\xff", "", ""},
		{0, 2, adminAuth + "&name=" + ownLine + "&password=1", "", ""},
		{0, 3, adminAuth + "&name=" + otherLine, "", ""},
		{1, 0, "", strings.Repeat("a=1&", 300), "application/x-www-form-urlencoded"},
		{1, 0, "", vendorQuery, "text/plain"},
		{2, 0, vendorQuery, "", ""},
		{0, 4, vendorQuery, "", ""},
		{0, 5, "", "", ""},
		{1, 6, "", "", ""},
		{0, 7, "", "", ""},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, s.query, s.body, s.contentType)
	}
	s := mustNew(f, "")
	served := 0
	f.Fuzz(func(t *testing.T, method, path byte, query, body, contentType string) {
		if served++; served%fuzzResetEvery == 0 {
			if err := s.Reset(); err != nil {
				t.Fatal(err)
			}
		}
		r := &http.Request{
			Method:     fuzzMethods[int(method)%len(fuzzMethods)],
			URL:        &url.URL{Path: fuzzPaths[int(path)%len(fuzzPaths)], RawQuery: query},
			Proto:      "HTTP/1.1",
			ProtoMajor: 1,
			ProtoMinor: 1,
			Header:     http.Header{},
			Host:       "mock.test",
			Body:       http.NoBody,
		}
		if body != "" {
			r.Body = readCloser{strings.NewReader(body)}
			r.ContentLength = int64(len(body))
		}
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		checkAnswer(t, r.Method+" "+r.URL.Path, w)
	})
}

// checkAnswer fails unless w holds a well-formed envelope with a documented
// code: HTTP 200 for every outcome, a 4xx status only for a request the mock
// could not read (wire-contract.md: transport), 400 with a key when HTTP 200.
func checkAnswer(t *testing.T, what string, w *httptest.ResponseRecorder) {
	t.Helper()
	out, err := wire.Decode(w.Body.Bytes())
	if err != nil {
		t.Fatalf("%s: answer %q: %v; want an envelope", what, w.Body, err)
	}
	if w.Code >= http.StatusInternalServerError || out.Code == wire.ServerProblem {
		t.Fatalf("%s: HTTP %d code %s; want no 500", what, w.Code, out.Code)
	}
	if !documentedCodes[out.Code] {
		t.Fatalf("%s: code %s; want a documented one", what, out.Code)
	}
	if got := w.Header().Get("Content-Type"); got != "application/json" {
		t.Errorf("%s: Content-Type = %q; want application/json", what, got)
	}
	if w.Code != http.StatusOK && (w.Code < 400 || out.Code != wire.Invalid && out.Code != wire.NotFound) {
		t.Fatalf("%s: HTTP %d code %s; want HTTP 200, or a 4xx with code 400/404", what, w.Code, out.Code)
	}
	if w.Code == http.StatusOK && out.Code == wire.Invalid && out.Key == "" {
		t.Fatalf("%s: answer %s: 400 without key; want the offending parameter", what, w.Body)
	}
	if !utf8.ValidString(out.Key) || !utf8.ValidString(out.Message) {
		t.Fatalf("%s: answer %q: key or message not UTF-8", what, w.Body)
	}
}

// readCloser gives a fuzzed body a no-op Close.
type readCloser struct{ *strings.Reader }

func (readCloser) Close() error { return nil }

// FuzzCreateReadBack creates a line with fuzzed name, password and
// description, `;`- or `&`-separated, escaped as a client would: every
// create gets a documented answer, and a 204'd line reads back with exactly
// the text sent (wire-contract.md: reading back).
func FuzzCreateReadBack(f *testing.F) {
	f.Add("1234567", "secret", "", false)
	f.Add("1234568", "p@ss w0rd;&=%", "Reception desk", true)
	f.Add("1234569", "\u00e9t\u00e9", "\u65e5\u672c\u8a9e \U0001F4DE", false)
	f.Add("", "x", "no name", true)
	f.Add("1234570", "", "no password", false)
	f.Add("12345\xff", "x", "bad name", false)
	f.Add("1234571", "x", "bad \xfe description", true)
	s := mustNew(f, "")
	served := 0
	f.Fuzz(func(t *testing.T, name, password, description string, semicolons bool) {
		if served++; served%fuzzResetEvery == 0 {
			if err := s.Reset(); err != nil {
				t.Fatal(err)
			}
		}
		sep := byte('&')
		if semicolons {
			sep = ';'
		}
		query := wire.Encode([]wire.Pair{
			{Name: "auth_username", Value: "user"}, {Name: "auth_password", Value: "password"},
			{Name: "name", Value: name}, {Name: "password", Value: password}, {Name: "description", Value: description},
		}, sep)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, &http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/api/json/phones/create/", RawQuery: query}, Header: http.Header{}, Body: http.NoBody})
		checkAnswer(t, "create", w)
		out, _ := wire.Decode(w.Body.Bytes())
		if out.Code != wire.Created {
			return
		}
		if !utf8.ValidString(name + password + description) {
			t.Fatalf("create of text not UTF-8 = 204; want 400")
		}
		w = httptest.NewRecorder()
		query = wire.Encode([]wire.Pair{{Name: "auth_username", Value: "user"}, {Name: "auth_password", Value: "password"}, {Name: "name", Value: name}, {Name: "password", Value: "1"}}, sep)
		s.ServeHTTP(w, &http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/api/json/phones/get/", RawQuery: query}, Header: http.Header{}, Body: http.NoBody})
		checkAnswer(t, "get", w)
		got, _ := wire.Decode(w.Body.Bytes())
		var data map[string]any
		if err := jsonUnmarshal(got.Data, &data); err != nil || got.Code != wire.OK {
			t.Fatalf("phones/get of a 204'd line = %s (%v); want 200 with data", w.Body, err)
		}
		for k, want := range map[string]string{"name": name, "password": password, "description": description} {
			if data[k] != want {
				t.Errorf("phones/get: %s = %q; want %q as sent", k, data[k], want)
			}
		}
	})
}
