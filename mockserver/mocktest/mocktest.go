// Package mocktest starts an Enswitch mock inside a Go test and asserts on
// the requests it received, through the mock's admin API
// (docs/admin-api.md).
package mocktest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/sendonce"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/mockserver"
	"github.com/enswitch-kit/phones/mockserver/admin"
)

// Mock is a mock serving on a free loopback port for one test.
type Mock struct {
	// URL is the mock's base URL, http://127.0.0.1:PORT: the JSON API is
	// under URL + contract.Prefix, the admin API under URL + "/_mock/".
	URL    string
	server *httptest.Server
	client *http.Client
}

// Start starts a mock built with opts (the embedded fixtures when
// opts.Fixtures is nil; opts.Fixtures is a document in the --fixtures
// format, docs/fixtures.md; opts.Store a durable store such as
// bolt.File, docs/state.md) and stops it, store closed, when the test
// ends. It fails the test when the mock cannot be built.
func Start(tb testing.TB, opts mockserver.Options) *Mock {
	tb.Helper()
	s, err := mockserver.New(opts)
	if err != nil {
		tb.Fatalf("mocktest: start the mock: %v", err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	ts := httptest.NewServer(s)
	tb.Cleanup(ts.Close)
	// Send-once: a request net/http sent again on its own would be in the journal twice.
	client := &http.Client{Transport: sendonce.Transport(ts.Client().Transport)}
	return &Mock{URL: ts.URL, server: ts, client: client}
}

// Client is an HTTP client for the mock (and any proxy in front of it)
// that sends each request once: net/http never sends one again on its own
// when a kept-alive connection dies before the answer, so what Verify and
// Requests count is what the test sent, and a request without an answer
// is an error. The admin calls use it too.
func (m *Mock) Client() *http.Client { return m.client }

// Version is the Enswitch version s ("3.13") for mockserver.Options, so a
// test starts a mock of another version in one line:
//
//	mocktest.Start(t, mockserver.Options{Version: mocktest.Version(t, "3.13")})
//
// It fails the test when s is not a version openapi.yaml describes.
func Version(tb testing.TB, s string) contract.Version {
	tb.Helper()
	v, err := contract.ParseVersion(s)
	if err == nil {
		var c *contract.Contract
		if c, err = contract.Load(); err == nil && !slices.Contains(c.Versions(), v) {
			err = fmt.Errorf("version %s is not described (known: %v)", v, c.Versions())
		}
	}
	if err != nil {
		tb.Fatalf("mocktest: version %q: %v", s, err)
	}
	return v
}

// Exactly is a Verification's count: exactly n matching requests.
func Exactly(n int) *admin.Count { return &admin.Count{Min: &n, Max: &n} }

// AtLeast is a Verification's count: n matching requests or more.
func AtLeast(n int) *admin.Count { return &admin.Count{Min: &n} }

// AtMost is a Verification's count: n matching requests or fewer (0: none).
func AtMost(n int) *admin.Count { return &admin.Count{Max: &n} }

// Verify asks the mock whether the requests it received match v (at least
// one when v has no count) and returns its match. When they do not, it
// fails the test with the count and the nearest misses.
func (m *Mock) Verify(tb testing.TB, v admin.Verification) admin.Match {
	tb.Helper()
	body, err := json.Marshal(v)
	if err != nil {
		tb.Fatalf("mocktest: verify: %v", err)
	}
	var match admin.Match
	m.admin(tb, http.MethodPost, "/_mock/verify", body, &match)
	if !match.Matched {
		tb.Errorf("%s", Explain(v, match))
	}
	return match
}

// Explain is the failure text of a match that did not match: what was
// wanted, how many requests matched, and the nearest misses with what
// differs (secrets are masked by the mock).
func Explain(v admin.Verification, match admin.Match) string {
	var b strings.Builder
	want, _ := json.Marshal(v.Pattern)
	fmt.Fprintf(&b, "mock: want %s request(s) matching %s; %d matched", countText(match.Want), want, match.Count)
	if match.Dropped > 0 {
		fmt.Fprintf(&b, " (the journal dropped %d older requests)", match.Dropped)
	}
	if len(match.NearMisses) == 0 {
		return b.String()
	}
	b.WriteString("\nnearest misses:")
	for _, m := range match.NearMisses {
		r := m.Request
		fmt.Fprintf(&b, "\n  request %d: %s %s, code %s key %q: %s", r.ID, r.Method, r.Function, r.Code, r.Key, strings.Join(m.Differences, "; "))
	}
	return b.String()
}

func countText(c admin.Count) string {
	switch {
	case c.Min != nil && c.Max != nil && *c.Min == *c.Max:
		return fmt.Sprintf("exactly %d", *c.Min)
	case c.Min != nil && c.Max != nil:
		return fmt.Sprintf("%d to %d", *c.Min, *c.Max)
	case c.Max != nil:
		return fmt.Sprintf("at most %d", *c.Max)
	case c.Min != nil:
		return fmt.Sprintf("at least %d", *c.Min)
	}
	return "any number"
}

// Requests is the mock's journal, oldest first, filtered as GET
// /_mock/requests filters it (function, param=NAME=VALUE, code, key,
// since, until); nil filter for every request.
func (m *Mock) Requests(tb testing.TB, filter url.Values) []admin.JournalEntry {
	tb.Helper()
	var page admin.JournalPage
	m.admin(tb, http.MethodGet, "/_mock/requests?"+filter.Encode(), nil, &page)
	return page.Requests
}

// Reset restores the lines of the fixtures last loaded.
func (m *Mock) Reset(tb testing.TB) {
	tb.Helper()
	m.admin(tb, http.MethodPost, "/_mock/reset", nil, nil)
}

// LoadFixtures loads a fixture document into the running mock, replacing
// the fixtures or merging into them; a document the mock refuses fails
// the test.
func (m *Mock) LoadFixtures(tb testing.TB, doc []byte, merge bool) {
	tb.Helper()
	mode := "replace"
	if merge {
		mode = "merge"
	}
	m.admin(tb, http.MethodPost, "/_mock/fixtures?mode="+mode, doc, nil)
}

// admin calls the admin API and decodes the envelope's data into out
// (when not nil); any answer but code 200 fails the test.
func (m *Mock) admin(tb testing.TB, method, path string, body []byte, out any) {
	tb.Helper()
	req, err := http.NewRequest(method, m.URL+path, bytes.NewReader(body))
	if err != nil {
		tb.Fatalf("mocktest: %s %s: %v", method, path, err)
	}
	res, err := m.client.Do(req)
	if err != nil {
		tb.Fatalf("mocktest: %s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatalf("mocktest: %s %s: read the answer: %v", method, path, err)
	}
	outcome, err := wire.Decode(raw)
	if err != nil || outcome.Code != wire.OK {
		tb.Fatalf("mocktest: %s %s: HTTP %d %s", method, path, res.StatusCode, raw)
	}
	if out != nil {
		if err := json.Unmarshal(outcome.Data, out); err != nil {
			tb.Fatalf("mocktest: %s %s: data of %s: %v", method, path, raw, err)
		}
	}
}
