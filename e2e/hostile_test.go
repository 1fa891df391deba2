package e2e_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/internal/answertest"
	"github.com/enswitch-kit/phones/internal/hostiletest"
	"github.com/enswitch-kit/phones/internal/wire"
)

// Per-request timeouts of the hostile runs: short where nothing answers,
// longer where the mock must answer on a loaded CI box.
const (
	hostileTimeout = "300ms"
	mockTimeout    = "1s"
)

// hostile is a target that breaks the transport or the envelope, and what
// the run must say about it.
type hostile struct {
	name string
	// start starts the target and returns its base URL; l records the
	// lines the mock behind it created and deleted, if any.
	start func(t *testing.T, l *ledger) string
	args  []string
	want  []string      // in the output
	limit time.Duration // the whole run ends within this
	// leftBehind: lines the mock still holds must be listed by name;
	// otherwise none may be left.
	leftBehind bool
	// cannotRun: the target fails the first request, which proves it
	// speaks the API, so the run stops there with exit 2 and one line.
	cannotRun bool
}

// TestSuiteAgainstHostileTargets: whatever the target does, the run ends
// within its bound, names what was wrong, prints no Go panic and deletes
// what it created, or lists by name what it could not delete. A target
// that fails the first request ends the run there with exit 2 and one
// line; any other breakage fails the run (exit 1).
func TestSuiteAgainstHostileTargets(t *testing.T) {
	fast := []string{"--timeout", hostileTimeout, "--fuzz-cases", "20", "--seed", "7"}
	slow := []string{"--timeout", mockTimeout, "--fuzz-cases", "20", "--seed", "7"}
	const (
		notEnvelope = "not an Enswitch envelope"
		notAPI      = "enswitch-conformance: target is not an Enswitch JSON API: "
		preflight   = "enswitch-conformance: "
	)
	cases := []hostile{
		// (a) garbage
		{name: "answers text that is not JSON", start: answering(200, "application/json", "Service temporarily overloaded, try again"),
			args: fast, limit: 30 * time.Second, cannotRun: true, want: []string{notAPI + "HTTP 200 application/json from http://", notEnvelope + ": invalid character 'S' looking for beginning of value"}},
		{name: "answers an HTML page", start: answering(200, "text/html; charset=utf-8", "<html><body><h1>It works!</h1></body></html>"),
			args: fast, limit: 30 * time.Second, cannotRun: true, want: []string{notAPI + "HTTP 200 text/html from http://", "/api/json/phones/get/"}},
		{name: "answers truncated JSON", start: answering(200, "application/json", `{"responses":[{"code":"20`),
			args: fast, limit: 30 * time.Second, cannotRun: true, want: []string{notAPI, notEnvelope + ": unexpected end of JSON input"}},
		{name: "answers code as a number", start: answering(200, "application/json", `{"responses":[{"code":204,"key":"","message":"OK"}]}`),
			args: fast, limit: 30 * time.Second, cannotRun: true, want: []string{notAPI, notEnvelope + ": responses[0].code is 204, not a string"}},
		{name: "answers an empty body", start: answering(200, "application/json", ""),
			args: fast, limit: 30 * time.Second, cannotRun: true, want: []string{notAPI + "HTTP 200 application/json from http://", notEnvelope + ": unexpected end of JSON input"}},
		// (b) hangs
		{name: "never answers", start: hanging(false), args: fast, limit: 10 * time.Second, cannotRun: true,
			want: []string{preflight + "no answer within 300ms to GET /api/json/phones/get/ (base_url http://"}},
		{name: "answers headers, then stalls the body", start: hanging(true), args: fast, limit: 10 * time.Second, cannotRun: true,
			want: []string{preflight + "the answer to GET /api/json/phones/get/ stalled: headers came, the body did not finish within 300ms"}},
		{name: "accepts the connection, never reads", start: listening(nil), args: fast, limit: 10 * time.Second, cannotRun: true,
			want: []string{preflight + "no answer within 300ms to GET /api/json/phones/get/"}},
		// (c) closes connections
		{name: "closes the connection mid-request", start: listening(func(c net.Conn) { _, _ = bufio.NewReader(c).ReadString('\n') }),
			args: fast, limit: 10 * time.Second, cannotRun: true,
			want: []string{preflight + "the target closed the connection before the answer to GET /api/json/phones/get/ was complete"}},
		// (d) HTTP 500
		{name: "answers HTTP 500", start: answering(500, "text/plain", "Internal Server Error"), args: fast, limit: 30 * time.Second, cannotRun: true,
			want: []string{notAPI + "HTTP 500 text/plain from http://"}},
		// not listening
		{name: "is not listening", start: refused, args: fast, limit: 5 * time.Second, cannotRun: true,
			want: []string{preflight + "target unreachable: GET /api/json/phones/get/: connection to 127.0.0.1:", "refused"}},
		// answers the preflights (phones/get; phones/create with
		// validation=1 and phones/get), then stops answering anything
		{name: "stops answering after the preflight", start: mockThen(func(n int, _ string, _ bool) breakage {
			if n > 3 {
				return hang
			}
			return fine
		}), args: slow, limit: 20 * time.Second,
			want: []string{"target unresponsive: ", "got no answer 6 times in a row (last: no answer within 1s to ", "specs not run", "STOPPED EARLY"}},
		// (e) create works, phones/get or phones/delete does not
		{name: "hangs on phones/get; phones/delete works", start: mockThen(breaks("phones/get", hang)), args: slow, limit: 20 * time.Second,
			want: []string{"target unresponsive: phones/get got no answer ", "times in a row (last: no answer within 1s to GET /api/json/phones/get/)", "STOPPED EARLY", "0 left behind"}},
		{name: "answers HTTP 500 to phones/get; phones/delete works", start: mockThen(breaks("phones/get", status500)), args: slow, limit: 40 * time.Second,
			want: []string{"phones/get answers 200 with the line in data", "every answer is HTTP 200; got HTTP 500", "0 left behind"}},
		{name: "closes the connection on phones/get; phones/delete works", start: mockThen(breaks("phones/get", hangUp)), args: slow, limit: 20 * time.Second,
			want: []string{"target unresponsive: phones/get got no answer ", "times in a row (last: the target closed the connection", "0 left behind"}},
		{name: "hangs on phones/delete", start: mockThen(breaks("phones/delete", hang)), args: slow, limit: 20 * time.Second, leftBehind: true,
			// Stopped by whichever comes first: phones/delete unanswered
			// several times in a row, or the cleanup failing on several
			// lines in a row; both name the unanswered delete.
			want: []string{"no answer within 1s to GET /api/json/phones/delete/)", "STOPPED EARLY"}},
		{name: "answers HTTP 500 to phones/delete", start: mockThen(breaks("phones/delete", status500)), args: slow, limit: 20 * time.Second, leftBehind: true,
			want: []string{"cleanup failing: phones/delete did not delete ", " lines in a row (last: phones/delete answered HTTP 500 text/plain", "stopping so that no more lines are left behind", "STOPPED EARLY"}},
	}
	profilePath := mustProfile(t)
	for _, h := range cases {
		t.Run(h.name, func(t *testing.T) {
			t.Parallel()
			l := &ledger{}
			r := runAt(t, h.start(t, l), "4.4", profilePath, h.limit+5*time.Second, h.args...)
			want := 1 // a failed run, not a crash
			if h.cannotRun {
				want = 2
				if lines := strings.Split(strings.TrimSpace(r.out), "\n"); len(lines) != 1 {
					t.Errorf("%d lines of output; want the one that says why no spec ran\n%s", len(lines), r.tail())
				}
			}
			if r.code != want {
				t.Errorf("exit %d; want %d\n%s", r.code, want, r.tail())
			}
			if r.took > h.limit {
				t.Errorf("the run took %s; want at most %s", r.took.Round(time.Millisecond), h.limit)
			}
			for _, bad := range []string{"panic:", "goroutine ", "[PANICKED]", "[TIMEDOUT]", "[INTERRUPTED]"} {
				if strings.Contains(r.out, bad) {
					t.Errorf("output contains %q: the run crashed\n%s", bad, r.tail())
				}
			}
			for _, want := range h.want {
				if !strings.Contains(r.out, want) {
					t.Errorf("output lacks %q\n%s", want, r.tail())
				}
			}
			l.check(t, r, h.leftBehind)
			t.Logf("exit %d in %s: %s", r.code, r.took.Round(time.Millisecond), firstFailure(r.out))
		})
	}
}

// firstFailure is the first line that says what went wrong, for the log.
func firstFailure(out string) string {
	for _, re := range []string{`(?m)^enswitch-conformance: (not running the suite|target) .*$`, `(?m)^STOPPED EARLY: .*$`, `(?m)^  \[.*\n.*$`} {
		if m := regexp.MustCompile(re).FindString(out); m != "" {
			return strings.TrimSpace(m)
		}
	}
	return ""
}

// answering answers every request with status, content type and body.
func answering(status int, contentType, body string) func(*testing.T, *ledger) string {
	return func(t *testing.T, _ *ledger) string {
		return serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", contentType)
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
		}))
	}
}

// hanging never answers, or answers headers and the start of a body and
// then stalls.
func hanging(headers bool) func(*testing.T, *ledger) string {
	return func(t *testing.T, _ *ledger) string {
		wait := hostiletest.Hold(t)
		return serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if headers {
				stallBody(w)
			}
			wait(r)
		}))
	}
}

func stallBody(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", "64")
	_, _ = io.WriteString(w, `{"responses":[`)
	w.(http.Flusher).Flush()
}

// listening starts a raw TCP server (hostiletest.Serve) for a case.
func listening(handle func(net.Conn)) func(*testing.T, *ledger) string {
	return func(t *testing.T, _ *ledger) string { return hostiletest.Serve(t, handle) }
}

// refused is an address nothing listens on any more (hostiletest.Refused).
func refused(t *testing.T, _ *ledger) string { return hostiletest.Refused(t) }

// serve starts h on a test server for the rest of the test.
func serve(t *testing.T, h http.Handler) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// breakage is what a broken target does to one request.
type breakage int

const (
	fine      breakage = iota // the mock answers
	hang                      // no answer
	hangUp                    // the connection is closed
	status500                 // HTTP 500, no envelope
)

// breaks breaks every request to fn one way, except the run's first
// request (the phones/get that proves the target speaks the API).
func breaks(fn string, how breakage) func(int, string, bool) breakage {
	return func(n int, function string, _ bool) breakage {
		if function == fn && n > 1 {
			return how
		}
		return fine
	}
}

// mockThen is the 4.4 mock behind a wrapper that asks how, for the n-th
// request (from 1) to function, whether to break it. The ledger records the
// lines the mock created and deleted.
func mockThen(how func(n int, function string, validation bool) breakage) func(*testing.T, *ledger) string {
	return func(t *testing.T, l *ledger) string {
		mock := mustMock(t, "4.4")
		wait := hostiletest.Hold(t)
		var (
			mu sync.Mutex
			n  int
		)
		return serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			params := paramsOf(r)
			mu.Lock()
			n++
			b := how(n, function(r), params["validation"] == "1")
			mu.Unlock()
			switch b {
			case hang:
				wait(r)
				return
			case hangUp:
				if c, _, err := http.NewResponseController(w).Hijack(); err == nil {
					c.Close()
				}
				return
			case status500:
				http.Error(w, "Internal Server Error", http.StatusInternalServerError)
				return
			}
			rec := answertest.Record(mock, r)
			if out, err := wire.Decode(rec.Body); err == nil && out.Code == wire.Created {
				l.note(function(r), params["name"])
			}
			rec.Send(w)
		}))
	}
}

// ledger is what the mock behind a broken target created and deleted.
type ledger struct {
	mu      sync.Mutex
	created []string
	deleted map[string]bool
}

func (l *ledger) note(function, name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch function {
	case "phones/create":
		l.created = append(l.created, name)
	case "phones/delete":
		if l.deleted == nil {
			l.deleted = map[string]bool{}
		}
		l.deleted[name] = true
	}
}

// check: every line the mock still holds is listed as left behind when
// leftBehind, and none is left otherwise.
func (l *ledger) check(t *testing.T, r result, leftBehind bool) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var left []string
	for _, name := range l.created {
		if !l.deleted[name] {
			left = append(left, name)
		}
	}
	if !leftBehind {
		if len(left) > 0 {
			t.Errorf("the run left %d lines on the target: %v; want every created line deleted\n%s", len(left), left, r.tail())
		}
		return
	}
	if len(left) == 0 {
		t.Errorf("no line left on the target; the variant should leave some for the report to list\n%s", r.tail())
	}
	for _, name := range left {
		if !strings.Contains(r.out, "left behind: "+name+" (") {
			t.Errorf("line %s is left on the target but not listed as left behind\n%s", name, r.tail())
		}
	}
	listed := regexp.MustCompile(`left behind: (\S+) \(`).FindAllStringSubmatch(r.out, -1)
	for _, m := range listed {
		if !slices.Contains(l.created, m[1]) {
			t.Errorf("%s is listed as left behind but the target never created it", m[1])
		}
	}
}

// TestReportsWhenTheTargetIsUnreachable: a run that stops before the suite
// (exit 2) still writes the CI reports, naming why.
func TestReportsWhenTheTargetIsUnreachable(t *testing.T) {
	dir := t.TempDir()
	junit, js := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "report.json")
	r := runAt(t, refused(t, nil), "4.4", mustProfile(t), 20*time.Second, "--junit-report", junit, "--json-report", js)
	if r.code != 2 {
		t.Errorf("exit %d; want 2\n%s", r.code, r.tail())
	}
	for _, path := range []string{junit, js} {
		if text := mustRead(t, path); !strings.Contains(text, "preflight") || !strings.Contains(text, "target unreachable") {
			t.Errorf("%s does not say the target is unreachable:\n%.600s", filepath.Base(path), text)
		}
	}
}
