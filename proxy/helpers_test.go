package proxy_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/logtest"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/mockserver"
	"github.com/enswitch-kit/phones/proxy"
)

// theContract is loaded once for the test binary.
var theContract = contract.MustLoad()

// violations are the violation records of a proxy's JSON log.
func violations(tb testing.TB, logs *logtest.Buffer) []proxy.Violation {
	tb.Helper()
	var out []proxy.Violation
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec struct {
			Msg string `json:"msg"`
			proxy.Violation
		}
		if line == "" {
			continue
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			tb.Fatalf("log line %q is not JSON: %v", line, err)
		}
		if rec.Msg == "violation" {
			out = append(out, rec.Violation)
		}
	}
	return out
}

// rig is a proxy in front of an upstream, both on loopback.
type rig struct {
	url   string
	proxy *proxy.Proxy
	logs  *logtest.Buffer
}

// mustMock is the mock of version (empty: the newest) as an http.Handler.
func mustMock(tb testing.TB, version string) http.Handler {
	tb.Helper()
	var opts mockserver.Options
	if version != "" {
		v, err := contract.ParseVersion(version)
		if err != nil {
			tb.Fatal(err)
		}
		opts.Version = v
	}
	m, err := mockserver.New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// serve starts h on loopback until the test ends.
func serve(tb testing.TB, h http.Handler) string {
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return srv.URL
}

// mustRig puts a proxy for version in front of upstream.
func mustRig(tb testing.TB, upstream, version string, tune func(*proxy.Options)) *rig {
	tb.Helper()
	u, err := url.Parse(upstream)
	if err != nil {
		tb.Fatal(err)
	}
	view := theContract.Latest()
	if version != "" {
		v, _ := contract.ParseVersion(version)
		if view, err = theContract.At(v); err != nil {
			tb.Fatal(err)
		}
	}
	logs := &logtest.Buffer{}
	opts := proxy.Options{Upstream: u, View: view, Latest: theContract.Latest(), Logger: slog.New(slog.NewJSONHandler(logs, nil))}
	if tune != nil {
		tune(&opts)
	}
	p, err := proxy.New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	return &rig{url: serve(tb, p), proxy: p, logs: logs}
}

// reply is an answer as the client got it.
type reply struct {
	status  int
	body    string
	outcome wire.Outcome
}

var client = &http.Client{Timeout: 20 * time.Second}

// send sends a GET (body empty) or a form POST to the proxy.
func (r *rig) send(tb testing.TB, method, target, body string) reply {
	tb.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, r.url+target, rd)
	if err != nil {
		tb.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := client.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, target, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatalf("%s %s: read: %v", method, target, err)
	}
	out, _ := wire.Decode(data)
	return reply{status: res.StatusCode, body: string(data), outcome: out}
}

func (r *rig) get(tb testing.TB, target string) reply {
	tb.Helper()
	return r.send(tb, http.MethodGet, target, "")
}

// rewrite is the mock with fn's answers edited: a broken upstream.
func rewrite(mock http.Handler, fn string, edit func(rec *httptest.ResponseRecorder) (status int, contentType, body string)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		mock.ServeHTTP(rec, r)
		if called, _ := wire.Function(r.URL.Path); called != fn {
			copyAnswer(w, rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
			return
		}
		status, contentType, body := edit(rec)
		copyAnswer(w, status, contentType, body)
	})
}

func copyAnswer(w http.ResponseWriter, status int, contentType, body string) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// replaced edits the body only.
func replaced(old, new string) func(rec *httptest.ResponseRecorder) (int, string, string) {
	return func(rec *httptest.ResponseRecorder) (int, string, string) {
		return rec.Code, rec.Header().Get("Content-Type"), strings.Replace(rec.Body.String(), old, new, 1)
	}
}
