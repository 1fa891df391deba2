package wire_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/internal/wire"
)

func TestRead(t *testing.T) {
	const form = "application/x-www-form-urlencoded"
	pad := func(n int) string { return strings.Repeat("p=1&", n-1) + "p=1" }
	cases := []struct {
		name, method, query, ctype, body string
		pairs                            []wire.Pair // nil: an error
		status                           int
		limit                            bool
	}{
		{"query, ';' and repeats", "GET", "a=1;b=x%20y&a=2", "", "", []wire.Pair{{"a", "1"}, {"b", "x y"}}, 0, false},
		{"query first, then body", "POST", "a=1", form, "a=2&b=3", []wire.Pair{{"a", "1"}, {"b", "3"}}, 0, false},
		{"a GET's body is not read", "GET", "a=1", form, "b=2", []wire.Pair{{"a", "1"}}, 0, false},
		{"no Content-Type is a form", "POST", "", "", "b=2", []wire.Pair{{"b", "2"}}, 0, false},
		{"query over MaxQuery", "GET", "a=" + strings.Repeat("x", wire.MaxQuery-1), "", "", nil, http.StatusRequestURITooLong, true},
		{"query at MaxQuery", "GET", "a=" + strings.Repeat("x", wire.MaxQuery-2), "", "", []wire.Pair{{"a", strings.Repeat("x", wire.MaxQuery-2)}}, 0, false},
		{"too many pairs in the query", "GET", pad(wire.MaxParams + 1), "", "", nil, http.StatusBadRequest, true},
		{"too many pairs, query and body", "POST", pad(wire.MaxParams / 2), form, pad(wire.MaxParams/2 + 1), nil, http.StatusBadRequest, true},
		{"body over MaxBody", "POST", "", form, "a=" + strings.Repeat("x", wire.MaxBody), nil, http.StatusRequestEntityTooLarge, true},
		{"malformed query", "GET", "a=%zz", "", "", nil, http.StatusBadRequest, false},
		{"malformed body", "POST", "", form, "a=%zz", nil, http.StatusBadRequest, false},
		{"JSON body", "POST", "", "application/json", `{"a":1}`, nil, http.StatusUnsupportedMediaType, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, "/api/json/phones/create/?"+tc.query, strings.NewReader(tc.body))
			if tc.ctype != "" {
				r.Header.Set("Content-Type", tc.ctype)
			}
			pairs, body, err := wire.ReadBody(httptest.NewRecorder(), r)
			if tc.pairs != nil {
				if err != nil || !slices.Equal(pairs, tc.pairs) {
					t.Fatalf("ReadBody = %v, %v; want %v", pairs, err, tc.pairs)
				}
			} else {
				re := (*wire.ReadError)(nil)
				if !errors.As(err, &re) || re.Status != tc.status || re.Limit != tc.limit {
					t.Fatalf("ReadBody error = %#v; want a *ReadError, HTTP %d, limit %v", err, tc.status, tc.limit)
				}
				if strings.Contains(re.Reason, "zz") || strings.Contains(re.Reason, "xxx") {
					t.Errorf("reason %q holds a value", re.Reason)
				}
			}
			// The body comes back as it came whenever it was read whole.
			wantBody := tc.method == "POST" && tc.status != http.StatusRequestEntityTooLarge
			if wantBody && string(body) != tc.body {
				t.Errorf("body = %q; want %q", body, tc.body)
			}
			if !wantBody && body != nil {
				t.Errorf("body = %q; want none", body)
			}
		})
	}
}

// TestReadNeverReadsFarBeyondMaxBody: an endless body is read to MaxBody
// and no further.
func TestReadNeverReadsFarBeyondMaxBody(t *testing.T) {
	src := &countingReader{}
	r := httptest.NewRequest("POST", "/api/json/phones/create/", nil)
	r.Body, r.ContentLength = io.NopCloser(src), -1
	_, err := wire.Read(nil, r)
	if re := (*wire.ReadError)(nil); !errors.As(err, &re) || re.Status != http.StatusRequestEntityTooLarge {
		t.Fatalf("Read = %v; want 413", err)
	}
	if src.n > wire.MaxBody+64<<10 {
		t.Errorf("read %d bytes; want about MaxBody (%d)", src.n, wire.MaxBody)
	}
}

type countingReader struct{ n int }

func (c *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	c.n += len(p)
	return len(p), nil
}

func TestSplit(t *testing.T) {
	got := wire.Split("a=1;a=2&&b=%zz&c%20d=x%20y&e")
	want := []wire.Pair{{"a", "1"}, {"a", "2"}, {"b", "%zz"}, {"c d", "x y"}, {"e", ""}}
	if !slices.Equal(got, want) {
		t.Errorf("Split = %v; want %v", got, want)
	}
}
