package mockserver_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/internal/wire"
)

// countingBody is a request body of size bytes ('a'), or endless when size
// is negative, that counts what the server read of it.
type countingBody struct {
	size int64
	read int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	if b.size >= 0 && b.read >= b.size {
		return 0, io.EOF
	}
	n := int64(len(p))
	if b.size >= 0 {
		n = min(n, b.size-b.read)
	}
	for i := range n {
		p[i] = 'a'
	}
	b.read += n
	return int(n), nil
}

func (*countingBody) Close() error { return nil }

// pad is n unknown pairs "pN=1" joined with '&', to fill a request.
func pad(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString("p=1")
	}
	return b.String()
}

// TestLimits: each limit in request.go is answered with its documented HTTP
// status and an envelope (code 400, key naming the parameter when the answer
// is about one), and a body is never read far beyond MaxBody.
func TestLimits(t *testing.T) {
	const create = "/api/json/phones/create/"
	vendor := strings.ReplaceAll(vendorQuery, ";", "&")
	// The vendor example has 4 pairs.
	cases := []struct {
		name       string
		method     string
		query      string
		body       *countingBody // nil: no body
		bodyText   string        // a form body, when body is nil
		wantStatus int
		wantCode   wire.Code
		wantKey    string
		maxRead    int64 // most body bytes the server may read
	}{
		{"query at the limit", "GET", vendor + "&x=" + strings.Repeat("a", wire.MaxQuery-len(vendor)-3), nil, "", http.StatusOK, wire.Created, "", 0},
		{"query over the limit", "GET", vendor + "&x=" + strings.Repeat("a", wire.MaxQuery-len(vendor)-2), nil, "", http.StatusRequestURITooLong, wire.Invalid, "", 0},
		{"body over the limit, length given", "POST", "", &countingBody{size: 8 << 20}, "", http.StatusRequestEntityTooLarge, wire.Invalid, "", 0},
		{"body over the limit, chunked", "POST", "", &countingBody{size: -1}, "", http.StatusRequestEntityTooLarge, wire.Invalid, "", wire.MaxBody + 64<<10},
		{"parameters at the limit", "GET", strings.ReplaceAll(vendorQuery, "1234567", "1234568") + ";" + pad(wire.MaxParams-4), nil, "", http.StatusOK, wire.Created, "", 0},
		{"parameters over the limit", "GET", vendor + "&" + pad(wire.MaxParams-3), nil, "", http.StatusBadRequest, wire.Invalid, "", 0},
		{"parameters over the limit, query and body", "POST", vendor, nil, pad(wire.MaxParams - 3), http.StatusBadRequest, wire.Invalid, "", 0},
		{"empty pairs count", "GET", vendor + strings.Repeat(";", wire.MaxParams), nil, "", http.StatusBadRequest, wire.Invalid, "", 0},
		{"invalid UTF-8 in description", "GET", adminAuth + "&name=55501&password=x&description=ok%ff%fe", nil, "", http.StatusOK, wire.Invalid, "description", 0},
		{"invalid UTF-8 raw in password", "GET", adminAuth + "&name=55502&password=\xff", nil, "", http.StatusOK, wire.Invalid, "password", 0},
		{"invalid UTF-8 in name", "GET", adminAuth + "&name=5550%ff&password=x", nil, "", http.StatusOK, wire.Invalid, "name", 0},
		{"invalid UTF-8 in the first of two", "POST", adminAuth + "&description=%ff", nil, "name=5550%ff&password=x", http.StatusOK, wire.Invalid, "name", 0},
		{"invalid UTF-8 in a body value", "POST", "", nil, adminAuth + "&name=55503&password=x&description=%c3", http.StatusOK, wire.Invalid, "description", 0},
		{"invalid UTF-8 in phones/get", "GET", adminAuth + "&name=" + ownLine + "%ff", nil, "", http.StatusOK, wire.Invalid, "name", 0},
		{"invalid UTF-8 in an unknown parameter is ignored", "GET", adminAuth + "&name=55504&password=x&nope=%ff", nil, "", http.StatusOK, wire.Created, "", 0},
		{"invalid UTF-8 in a parameter name is ignored", "GET", adminAuth + "&name=55505&password=x&%ff=1", nil, "", http.StatusOK, wire.Created, "", 0},
		{"invalid UTF-8 comes after 401", "GET", "auth_username=user&auth_password=nope&name=5550%ff&password=x", nil, "", http.StatusOK, wire.Unauthorized, "", 0},
		{"invalid UTF-8 comes after 402", "GET", clerkAuth + "&name=5550%ff&password=x", nil, "", http.StatusOK, wire.RoleForbidden, "", 0},
		{"invalid UTF-8 comes after 403", "GET", noPlanAuth + "&name=5550%ff&password=x", nil, "", http.StatusOK, wire.PlanForbidden, "", 0},
		{"invalid percent-encoding in the query", "GET", adminAuth + "&name=55506&password=%zz", nil, "", http.StatusBadRequest, wire.Invalid, "", 0},
		{"truncated percent-encoding in a name", "GET", adminAuth + "&name%=55506&password=x", nil, "", http.StatusBadRequest, wire.Invalid, "", 0},
		{"invalid percent-encoding in the body", "POST", "", nil, adminAuth + "&name=55506&password=%g1", http.StatusBadRequest, wire.Invalid, "", 0},
	}
	s := mustNew(t, "")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, create, nil)
			r.URL.RawQuery = tc.query
			switch {
			case tc.body != nil:
				r.Body, r.ContentLength = tc.body, tc.body.size
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			case tc.bodyText != "":
				r.Body, r.ContentLength = io.NopCloser(strings.NewReader(tc.bodyText)), int64(len(tc.bodyText))
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			out, err := wire.Decode(w.Body.Bytes())
			if err != nil {
				t.Fatalf("answer %q: %v; want an envelope", w.Body, err)
			}
			if w.Code != tc.wantStatus || out.Code != tc.wantCode || out.Key != tc.wantKey {
				t.Errorf("answer = HTTP %d %s; want HTTP %d code %s key %q", w.Code, w.Body, tc.wantStatus, tc.wantCode, tc.wantKey)
			}
			if tc.body != nil && tc.body.read > tc.maxRead {
				t.Errorf("server read %d bytes of the body; want at most %d", tc.body.read, tc.maxRead)
			}
		})
	}
	// Nothing refused was stored.
	for _, name := range []string{"55501", "55502", "55503", "55506"} {
		mustOutcome(t, call(t, s, "phones/get", adminAuth+"&name="+name), wire.NotFound, "name")
	}
}
