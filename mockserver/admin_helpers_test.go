package mockserver_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/mockserver"
	"github.com/enswitch-kit/phones/mockserver/admin"
)

// mustNewWith builds a mock of the newest version with opts.
func mustNewWith(tb testing.TB, opts mockserver.Options) *mockserver.Server {
	tb.Helper()
	s, err := mockserver.NewWithContract(theContract(), opts)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	return s
}

// adminCall sends one admin API request, with the bearer token when token
// is not empty, and decodes the envelope strictly.
func adminCall(tb testing.TB, h http.Handler, method, target, body, token string) answer {
	tb.Helper()
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return decode(tb, w.Result())
}

// mustAdmin sends an admin API request without a token and decodes its
// data into v; it fails unless the answer is HTTP 200, code 200.
func mustAdmin(tb testing.TB, h http.Handler, method, target, body string, v any) {
	tb.Helper()
	a := adminCall(tb, h, method, target, body, "")
	if a.status != http.StatusOK || a.outcome.Code != "200" {
		tb.Fatalf("%s %s = HTTP %d %s; want HTTP 200, code 200", method, target, a.status, a)
	}
	if v == nil {
		return
	}
	if err := jsonUnmarshal(a.outcome.Data, v); err != nil {
		tb.Fatalf("%s %s: data of %s: %v", method, target, a, err)
	}
}

// mustRequests is GET /_mock/requests?query.
func mustRequests(tb testing.TB, h http.Handler, query string) admin.JournalPage {
	tb.Helper()
	var page admin.JournalPage
	mustAdmin(tb, h, http.MethodGet, "/_mock/requests?"+query, "", &page)
	return page
}

// mustVerify is POST /_mock/verify with body.
func mustVerify(tb testing.TB, h http.Handler, body string) admin.Match {
	tb.Helper()
	var v admin.Match
	mustAdmin(tb, h, http.MethodPost, "/_mock/verify", body, &v)
	return v
}
