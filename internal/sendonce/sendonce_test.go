package sendonce_test

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/enswitch-kit/phones/internal/hostiletest"
	"github.com/enswitch-kit/phones/internal/sendonce"
)

// answer is what the raw server writes back to each request.
const answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"

// mustCapture serves one connection on a raw TCP server that answers each
// request head with answer, and returns the URL and a function that
// waits for the client to hang up and returns every byte it sent.
func mustCapture(t *testing.T) (string, func() string) {
	t.Helper()
	got := make(chan string, 1)
	url := hostiletest.Serve(t, func(c net.Conn) {
		var sent bytes.Buffer
		br := bufio.NewReader(io.TeeReader(c, &sent))
		for {
			// Read the head only: whatever follows it must be the
			// next request's head, or nothing.
			line, err := br.ReadString('\n')
			for err == nil && line != "\r\n" {
				line, err = br.ReadString('\n')
			}
			if err != nil {
				break
			}
			if _, err := io.WriteString(c, answer); err != nil {
				break
			}
		}
		got <- sent.String()
	})
	return url, func() string { return <-got }
}

// TestRequestsGoOutAsTheyWould: on the wire, a request made send-once is
// the one net/http would send: a GET with no body, no Content-Length and
// no chunked encoding; a POST with its Content-Length and body.
func TestRequestsGoOutAsTheyWould(t *testing.T) {
	cases := []struct {
		name   string
		req    func(url string) (*http.Request, error)
		want   string // the request's bytes after its request line and Host header
		absent []string
	}{
		{"GET with no body", func(url string) (*http.Request, error) {
			return http.NewRequest(http.MethodGet, url+"/api/json/phones/create/?name=1", nil)
		}, "User-Agent: Go-http-client/1.1\r\nAccept-Encoding: gzip\r\n\r\n", []string{"Content-Length", "Transfer-Encoding"}},
		{"GET with an empty reader", func(url string) (*http.Request, error) {
			return http.NewRequest(http.MethodGet, url+"/api/json/phones/create/?name=1", strings.NewReader(""))
		}, "User-Agent: Go-http-client/1.1\r\nAccept-Encoding: gzip\r\n\r\n", []string{"Content-Length", "Transfer-Encoding"}},
		{"POST form", func(url string) (*http.Request, error) {
			r, err := http.NewRequest(http.MethodPost, url+"/api/json/phones/create/", strings.NewReader("name=1&password=x"))
			if err == nil {
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			return r, err
		}, "User-Agent: Go-http-client/1.1\r\nContent-Length: 17\r\nContent-Type: application/x-www-form-urlencoded\r\nAccept-Encoding: gzip\r\n\r\nname=1&password=x", []string{"Transfer-Encoding"}},
		{"POST with no body", func(url string) (*http.Request, error) {
			return http.NewRequest(http.MethodPost, url+"/api/json/phones/create/", nil)
		}, "User-Agent: Go-http-client/1.1\r\nContent-Length: 0\r\nAccept-Encoding: gzip\r\n\r\n", []string{"Transfer-Encoding"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			url, sent := mustCapture(t)
			tr := &http.Transport{}
			c := &http.Client{Transport: sendonce.Transport(tr)}
			r, err := tc.req(url)
			if err != nil {
				t.Fatal(err)
			}
			for range 2 { // twice on one connection: nothing trails the first
				res, err := c.Do(r)
				if err != nil {
					t.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if r.Body != nil && r.Body != http.NoBody {
					if r, err = tc.req(url); err != nil {
						t.Fatal(err)
					}
				}
			}
			c.CloseIdleConnections()
			wire := sent()
			host := strings.TrimPrefix(url, "http://")
			one := r.Method + " " + r.URL.RequestURI() + " HTTP/1.1\r\nHost: " + host + "\r\n" + tc.want
			if want := one + one; wire != want {
				t.Errorf("on the wire:\n%q\nwant:\n%q", wire, want)
			}
			for _, h := range tc.absent {
				if strings.Contains(wire, h) {
					t.Errorf("on the wire %q; want no %s", wire, h)
				}
			}
		})
	}
}

// counter answers every request 200 and counts them by query string.
type counter struct {
	mu   sync.Mutex
	seen map[string]int
}

func (c *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	c.mu.Lock()
	c.seen[r.Method+" "+r.URL.RawQuery]++
	c.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"responses":[{"code":"204","key":"","message":"OK"}]}`)
}

func (c *counter) times(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seen[key]
}

// TestAConnectionCutAfterTheAnswerIsNotSentAgain: when the connection
// dies after the server acted, a send-once request comes back as an error
// and the server saw it once. net/http alone sends the GET again.
func TestAConnectionCutAfterTheAnswerIsNotSentAgain(t *testing.T) {
	sendOnce := func(i int) (int, bool) { return 1, i%2 == 1 } // 2, 4 and 6 are each the second on their connection: cut
	cases := []struct {
		name   string
		rt     func(http.RoundTripper) http.RoundTripper
		method string
		want   func(i int) (seen int, answered bool)
	}{
		{"send-once GET", sendonce.Transport, http.MethodGet, sendOnce},
		{"send-once POST", sendonce.Transport, http.MethodPost, sendOnce},
		// Each request from the second is cut, then sent again on a new
		// connection, where it is the first: answered.
		{"net/http alone re-sends a GET", func(rt http.RoundTripper) http.RoundTripper { return rt }, http.MethodGet,
			func(i int) (int, bool) { return min(i, 2), true }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := &counter{seen: map[string]int{}}
			ts := httptest.NewServer(srv)
			t.Cleanup(ts.Close)
			url := hostiletest.CutAfterAnswer(t, ts.URL, func(_ *http.Request, onConn int) bool { return onConn == 2 })
			tr := &http.Transport{}
			t.Cleanup(tr.CloseIdleConnections)
			c := &http.Client{Transport: tc.rt(tr)}
			for i := 1; i <= 6; i++ {
				q := "name=" + strconv.Itoa(i)
				var body io.Reader
				if tc.method == http.MethodPost {
					body = strings.NewReader("password=x")
				}
				r, err := http.NewRequest(tc.method, url+"/api/json/phones/create/?"+q, body)
				if err != nil {
					t.Fatal(err)
				}
				res, err := c.Do(r)
				if err == nil {
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
				seen, answered := tc.want(i)
				if got := srv.times(tc.method + " " + q); got != seen || (err == nil) != answered {
					t.Errorf("request %d: the server saw it %d times, the client got an answer: %t (%v); want %d, %t", i, got, err == nil, err, seen, answered)
				}
			}
		})
	}
}

// TestHTTP2GetHasNoBody: over HTTP/2 a send-once GET reaches the handler
// with no body bytes and no transfer encoding.
func TestHTTP2GetHasNoBody(t *testing.T) {
	type seen struct {
		proto int
		body  int
		te    []string
	}
	got := make(chan seen, 1)
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.ProtoMajor, len(b), r.TransferEncoding}
		_, _ = io.WriteString(w, "{}")
	}))
	ts.EnableHTTP2 = true
	ts.StartTLS()
	t.Cleanup(ts.Close)
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ts.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs}, ForceAttemptHTTP2: true}
	t.Cleanup(tr.CloseIdleConnections)
	c := &http.Client{Transport: sendonce.Transport(tr)}
	res, err := c.Get(ts.URL + "/api/json/phones/get/?name=1")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if s := <-got; s.proto != 2 || s.body != 0 || len(s.te) != 0 {
		t.Errorf("the handler saw HTTP/%d, %d body bytes, transfer encoding %q; want HTTP/2, none, none", s.proto, s.body, s.te)
	}
}

// TestRequestLeavesTheCallersRequestAlone: Request copies what it
// changes.
func TestRequestLeavesTheCallersRequestAlone(t *testing.T) {
	r, err := http.NewRequest(http.MethodPost, "http://127.0.0.1/", strings.NewReader("a=1"))
	if err != nil {
		t.Fatal(err)
	}
	g, err := http.NewRequest(http.MethodGet, "http://127.0.0.1/", nil)
	if err != nil {
		t.Fatal(err)
	}
	if out := sendonce.Request(r); out == r || out.GetBody != nil || r.GetBody == nil {
		t.Errorf("Request(POST): same request %t, GetBody kept %t, caller's GetBody dropped %t; want a copy without GetBody", out == r, out.GetBody != nil, r.GetBody == nil)
	}
	if out := sendonce.Request(g); out == g || out.Body == nil || g.Body != nil || len(g.TransferEncoding) != 0 {
		t.Errorf("Request(GET): same request %t, caller's body %v, transfer encoding %q; want a copy with a body, the caller's untouched", out == g, g.Body, g.TransferEncoding)
	}
}
