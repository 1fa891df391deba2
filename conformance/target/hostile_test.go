package target_test

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/internal/hostiletest"
)

// timeout is the per-request timeout of the tests whose target never
// answers; slack what a request may take beyond it on a loaded machine.
// fastTimeout is the timeout of those whose target answers or closes at
// once: long, so that a loaded machine cannot turn a refusal into a
// timeout.
const (
	timeout     = 150 * time.Millisecond
	slack       = time.Second
	fastTimeout = 10 * time.Second
)

// mustServe starts h and returns its URL; it is closed when the test ends.
func mustServe(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestClientAgainstHostileTargets: each way of not answering is
// cut off within the timeout, named, and carries no secret.
func TestClientAgainstHostileTargets(t *testing.T) {
	cases := []struct {
		name    string
		url     func(t *testing.T) string
		problem target.Problem
		want    string
		fast    bool // well inside the timeout
	}{
		{"never answers", func(t *testing.T) string {
			wait := hostiletest.Hold(t)
			return mustServe(t, func(_ http.ResponseWriter, r *http.Request) { wait(r) })
		}, target.TimedOut, "no answer within 150ms to GET /api/json/phones/create/", false},
		{"headers, then the body stalls", func(t *testing.T) string {
			wait := hostiletest.Hold(t)
			return mustServe(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Content-Length", "100")
				_, _ = w.Write([]byte(`{"responses":[`))
				w.(http.Flusher).Flush()
				wait(r)
			})
		}, target.Stalled, "the answer to GET /api/json/phones/create/ stalled: headers came, the body did not finish within 150ms", false},
		{"accepts the connection, never reads", func(t *testing.T) string { return hostiletest.Serve(t, nil) },
			target.TimedOut, "no answer within 150ms", false},
		{"closes the connection mid-request", func(t *testing.T) string {
			return hostiletest.Serve(t, func(c net.Conn) { _, _ = bufio.NewReader(c).ReadString('\n') })
		}, target.Closed, "the target closed the connection before the answer to GET /api/json/phones/create/ was complete", true},
		{"closes in the middle of the body", func(t *testing.T) string {
			return mustServe(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", "100")
				_, _ = w.Write([]byte(`{"responses":[`))
				w.(http.Flusher).Flush()
				c, _, err := http.NewResponseController(w).Hijack()
				if err == nil {
					c.Close()
				}
			})
		}, target.Closed, "in the middle of the answer", true},
		{"not listening", func(t *testing.T) string { return hostiletest.Refused(t) }, target.Unreachable, "target unreachable: GET /api/json/phones/create/: connection to 127.0.0.1:", true},
		{"answers with something that is not HTTP, echoing the request", func(t *testing.T) string {
			return hostiletest.Serve(t, func(c net.Conn) {
				line, _ := bufio.NewReader(c).ReadString('\n')
				_, _ = c.Write([]byte("HELLO " + line + "\r\n\r\n"))
			})
		}, target.OtherProblem, "no answer to GET /api/json/phones/create/: net/http: HTTP/1.x transport connection broken: malformed HTTP", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			secrets := target.NewSecrets("password")
			secrets.Add("line-secret")
			limit := timeout
			if tc.fast {
				limit = fastTimeout
			}
			c := target.New(tc.url(t), target.Options{Timeout: limit, Secrets: secrets})
			defer c.Close()
			start := time.Now()
			a := c.Do(context.Background(), createRequest(target.GetSemicolon))
			took := time.Since(start)
			var te *target.TransportError
			if !errors.As(a.Err, &te) {
				t.Fatalf("Do: err %v (%T), status %d; want a *TransportError", a.Err, a.Err, a.Status)
			}
			if te.Problem != tc.problem {
				t.Errorf("problem = %d; want %d (%s)", te.Problem, tc.problem, a.Err)
			}
			if got := a.String(); !strings.Contains(got, tc.want) {
				t.Errorf("String() = %s; want it to contain %s", got, tc.want)
			}
			if got := a.String() + a.ErrText(); strings.Contains(got, secret) || strings.Contains(got, "line-secret") {
				t.Errorf("String() = %s; carries a secret", got)
			}
			if bound := limit + slack; took > bound || tc.fast && took > 2*slack {
				t.Errorf("Do took %s; want at most the timeout %s (+ slack)", took, limit)
			}
		})
	}
}

// TestClientGivesUpOnAFunction: after GiveUp requests in a row without an
// answer, a function is no longer sent; other functions still are.
func TestClientGivesUpOnAFunction(t *testing.T) {
	wait := hostiletest.Hold(t)
	var got atomic.Int64
	url := mustServe(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "phones/get") {
			wait(r)
			return
		}
		got.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"responses":[{"code":"204","key":"","message":"OK"}]}`))
	})
	c := target.New(url, target.Options{Timeout: 50 * time.Millisecond, GiveUp: 3})
	defer c.Close()
	get := target.Request{Function: "phones/get"}
	for i := range 3 {
		if err := c.Unresponsive(); err != nil {
			t.Fatalf("Unresponsive() after %d failures = %v; want nil", i, err)
		}
		if a := c.Do(context.Background(), get); a.Err == nil {
			t.Fatalf("phones/get #%d answered; want a timeout", i)
		}
	}
	a := c.Do(context.Background(), get)
	var te *target.TransportError
	if !errors.As(a.Err, &te) || te.Problem != target.NotSent {
		t.Errorf("4th phones/get: %v; want NotSent (not sent at all, so no timeout to wait for)", a.Err)
	}
	if want := "GET /api/json/phones/get/ not sent: the target gave no answer to 3 requests in a row (last: no answer within 50ms"; !strings.Contains(a.String(), want) {
		t.Errorf("String() = %s; want %s", a.String(), want)
	}
	var ue *target.UnresponsiveError
	if err := c.Unresponsive(); !errors.As(err, &ue) || ue.Function != "phones/get" {
		t.Errorf("Unresponsive() = %v; want phones/get", err)
	}
	if a := c.Do(context.Background(), createRequest(target.GetSemicolon)); a.Err != nil || got.Load() != 1 {
		t.Errorf("phones/create after giving up on phones/get: %v (%d sent); want it sent and answered", a.Err, got.Load())
	}
}

// TestClientAnswerResetsTheCount: failures must come in a row.
func TestClientAnswerResetsTheCount(t *testing.T) {
	// Every other request is dropped without an answer, at once, and no
	// connection is reused: nothing here waits on a clock, so a loaded
	// machine cannot turn the HTTP 500s into timeouts.
	var n atomic.Int64
	url := mustServe(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%2 == 1 {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		w.Header().Set("Connection", "close")
		w.WriteHeader(http.StatusInternalServerError)
	})
	c := target.New(url, target.Options{Timeout: 10 * time.Second, GiveUp: 2})
	defer c.Close()
	for i := range 4 {
		a := c.Do(context.Background(), target.Request{Function: "phones/get"})
		if answered := a.Err == nil; answered != (i%2 == 1) {
			t.Fatalf("request %d: answered = %t (%v); the test server drops every other request", i+1, answered, a.Err)
		}
	}
	if err := c.Unresponsive(); err != nil {
		t.Errorf("Unresponsive() = %v; want nil: every other request was answered (an HTTP 500 is an answer)", err)
	}
}

func TestSecretsRedact(t *testing.T) {
	s := target.NewSecrets("password")
	s.Add("password", "abc", "Zq9!Adm1n Sekr1t&x<y>", "Cf0123456789abcdef")
	cases := []struct{ name, in, want string }{
		{"as is", "pw Zq9!Adm1n Sekr1t&x<y> end", "pw ***** end"},
		{"query-escaped", "auth_password=Zq9%21Adm1n+Sekr1t%26x%3Cy%3E;x=1", "auth_password=*****;x=1"},
		{"path-escaped", "/Zq9%21Adm1n%20Sekr1t&x%3Cy%3E/", "/*****/"},
		{"JSON", `{"m":"Zq9!Adm1n Sekr1t\u0026x\u003cy\u003e"}`, `{"m":"*****"}`},
		{"glued to a word", "xCf0123456789abcdefpw", "x*****pw"},
		{"a plain word stays", "neither password nor copy_password", "neither password nor copy_password"},
		{"too short to mask in text", "abc def", "abc def"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := s.Redact(tc.in); got != tc.want {
				t.Errorf("Redact(%s) = %s; want %s", tc.in, got, tc.want)
			}
		})
	}
	s.AddPattern(regexp.MustCompile(`Lp[0-9]{6}`))
	if got, want := s.Redact("a=Lp123456;b=xLp654321x"), "a=*****;b=x*****x"; got != want {
		t.Errorf("Redact with a pattern = %s; want %s", got, want)
	}
	var none *target.Secrets
	if got := none.Redact("x"); got != "x" {
		t.Errorf("nil Secrets: Redact(x) = %s", got)
	}
}

// TestAnswerMasksTheRunsSecrets: a line password echoed into another
// request's answer is masked too.
func TestAnswerMasksTheRunsSecrets(t *testing.T) {
	s := target.NewSecrets()
	s.Add("Cf-other-line-9f8e7d")
	url := mustServe(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"responses":[{"code":"200","key":"","message":"OK"}],"data":{"description":"Cf-other-line-9f8e7d"}}`))
	})
	a := target.New(url, target.Options{Timeout: time.Second, Secrets: s}).Do(context.Background(), createRequest(target.GetSemicolon))
	if got := a.String(); strings.Contains(got, "Cf-other-line") || !strings.Contains(got, `"description":"*****"`) {
		t.Errorf("String() = %s; want the other line's password masked", got)
	}
}
