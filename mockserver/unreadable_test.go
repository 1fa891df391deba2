package mockserver_test

import (
	"bufio"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestRequestsGoRefusesBeforeTheHandler: a request that is not HTTP (a
// NUL byte in a header value, a space in a header name) is answered by
// Go's server itself, HTTP 400 in plain text, not the envelope, and the
// connection closed; docs/mock.md says so. A change in that behaviour
// (of Go's, or because the mock took it over) shows here.
func TestRequestsGoRefusesBeforeTheHandler(t *testing.T) {
	srv := httptest.NewServer(mustNew(t, "4.4"))
	defer srv.Close()
	for name, header := range map[string]string{
		"NUL in a header value":  "X-Note: a\x00b",
		"space in a header name": "X Note: ab",
	} {
		t.Run(name, func(t *testing.T) {
			conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
			if _, err := conn.Write([]byte("GET /api/json/phones/get/?name=1 HTTP/1.1\r\nHost: mock\r\n" + header + "\r\n\r\n")); err != nil {
				t.Fatal(err)
			}
			res, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			if ct := res.Header.Get("Content-Type"); res.StatusCode != http.StatusBadRequest || !strings.HasPrefix(ct, "text/plain") || !res.Close {
				t.Errorf("HTTP %d %s, close %t; want Go's own 400 text/plain, connection closed (docs/mock.md)", res.StatusCode, ct, res.Close)
			}
		})
	}
}
