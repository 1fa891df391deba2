package e2e_test

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/internal/stagingtest"
)

// withFields is fixtures/profile.yaml with extra top-level YAML appended,
// e.g. a tls mapping, as mustProfile edits.
func withFields(yaml string) []string {
	return []string{"cleanup: phones/delete\n", "cleanup: phones/delete\n" + yaml + "\n"}
}

// TestSuiteOverTLS: a CA file or a client certificate lets the run pass;
// without them it stops at the target check, in one line that names the
// host, the reason and the profile field to set.
func TestSuiteOverTLS(t *testing.T) {
	cert, key, clients := stagingtest.ClientCert(t)
	const fast = "codes || transport"
	cases := []struct {
		name    string
		mTLS    bool
		tls     func(ca string) string
		code    int
		want    []string
		noSpecs bool
	}{
		{name: "with the CA file", tls: func(ca string) string { return "tls: {ca_file: " + strconv.Quote(ca) + "}" },
			want: []string{"enswitch-conformance: PASS"}},
		{name: "without the CA file", tls: func(string) string { return "" }, code: 2, noSpecs: true,
			want: []string{"enswitch-conformance: GET /api/json/phones/get/: TLS: the certificate of 127.0.0.1:", "is not trusted: x509: certificate signed by unknown authority", "tls.ca_file"}},
		{name: "a client certificate required and given", mTLS: true,
			tls: func(ca string) string {
				return "tls: {ca_file: " + strconv.Quote(ca) + ", cert_file: " + strconv.Quote(cert) + ", key_file: " + strconv.Quote(key) + "}"
			},
			want: []string{"enswitch-conformance: PASS"}},
		{name: "a client certificate required, not given", mTLS: true, code: 2, noSpecs: true,
			tls:  func(ca string) string { return "tls: {ca_file: " + strconv.Quote(ca) + "}" },
			want: []string{"refused the handshake", "tls.cert_file and tls.key_file"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var pool = clients
			if !tc.mTLS {
				pool = nil
			}
			srv, ca := stagingtest.ServeTLS(t, mustMock(t, "4.4"), pool)
			r := runAt(t, srv.URL, "4.4", mustProfile(t, withFields(tc.tls(ca))...), time.Minute, "--label-filter", fast)
			if r.code != tc.code {
				t.Fatalf("exit %d; want %d\n%s", r.code, tc.code, r.tail())
			}
			for _, want := range tc.want {
				if !strings.Contains(r.out, want) {
					t.Errorf("output lacks %q\n%s", want, r.tail())
				}
			}
			if lines := strings.Split(strings.TrimSpace(r.out), "\n"); tc.noSpecs && len(lines) != 1 {
				t.Errorf("%d lines of output; want the one that says why no spec ran\n%s", len(lines), r.tail())
			}
			if strings.Contains(r.out, "PRIVATE KEY") {
				t.Errorf("the output carries the client key\n%s", r.tail())
			}
		})
	}
}

// TestInsecureSkipVerifyWarnsEverywhere: the run passes without a CA
// file, and the console, the JSON, HTML and JUnit reports all warn.
func TestInsecureSkipVerifyWarnsEverywhere(t *testing.T) {
	srv, _ := stagingtest.ServeTLS(t, mustMock(t, "4.4"), nil)
	dir := t.TempDir()
	r := runAt(t, srv.URL, "4.4", mustProfile(t, withFields("tls: {insecure_skip_verify: true}")...), time.Minute,
		"--label-filter", "codes", "--json-report", filepath.Join(dir, "report.json"),
		"--html-report", filepath.Join(dir, "report.html"), "--junit-report", filepath.Join(dir, "junit.xml"))
	if r.code != 0 {
		t.Fatalf("exit %d; want 0\n%s", r.code, r.tail())
	}
	const warning = "tls.insecure_skip_verify is on: the target's certificate was not checked"
	if n := strings.Count(r.out, "WARNING: "+warning); n != 2 {
		t.Errorf("the output warns %d times; want 2, at the start and above the verdict\n%s", n, r.tail())
	}
	var doc struct {
		Provenance struct {
			Warnings []string `json:"warnings"`
		} `json:"provenance"`
	}
	if err := json.Unmarshal([]byte(mustRead(t, filepath.Join(dir, "report.json"))), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Provenance.Warnings) != 1 || !strings.HasPrefix(doc.Provenance.Warnings[0], warning) {
		t.Errorf("JSON provenance.warnings = %q; want one starting %q", doc.Provenance.Warnings, warning)
	}
	if page := (mustRead(t, filepath.Join(dir, "report.html"))); !strings.Contains(page, "tls.insecure_skip_verify is on") {
		t.Errorf("the HTML report does not warn")
	}
	found := strings.HasPrefix(mustJUnitProperties(t, filepath.Join(dir, "junit.xml"))["warning"], warning)
	if !found {
		t.Errorf("no JUnit property warning=%q…", warning)
	}
}

// TestEveryRequestGoesThroughTheProfilesProxy: with proxy: in the
// profile, the target sees only connections the proxy made, over CONNECT
// for https and forwarded for http; the environment's proxy is not used.
func TestEveryRequestGoesThroughTheProfilesProxy(t *testing.T) {
	for _, secure := range []bool{true, false} {
		name := map[bool]string{true: "https over CONNECT", false: "http forwarded"}[secure]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			proxy := stagingtest.StartProxy(t, nil)
			var (
				mu            sync.Mutex
				direct, total int
			)
			mock := mustMock(t, "4.4")
			watching := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				total++
				if !proxy.Through(r.RemoteAddr) {
					direct++
				}
				mu.Unlock()
				mock.ServeHTTP(w, r)
			})
			fields := "proxy: " + proxy.URL
			var url string
			if secure {
				srv, ca := stagingtest.ServeTLS(t, watching, nil)
				url, fields = srv.URL, fields+"\ntls: {ca_file: "+strconv.Quote(ca)+"}"
			} else {
				url = serve(t, watching)
			}
			env := []string{"HTTPS_PROXY=http://127.0.0.1:1", "HTTP_PROXY=http://127.0.0.1:1", "NO_PROXY="}
			r := runEnv(t, env, time.Minute, "--profile", mustProfile(t, withFields(fields)...), "--base-url", url,
				"--enswitch-version", "4.4", "--no-color", "--label-filter", "codes || transport")
			if r.code != 0 {
				t.Fatalf("exit %d; want 0\n%s", r.code, r.tail())
			}
			tunnels, forwarded := proxy.Counts()
			mu.Lock()
			defer mu.Unlock()
			if total == 0 || direct != 0 {
				t.Errorf("%d of %d requests reached the target without the proxy; want none", direct, total)
			}
			if secure && (tunnels == 0 || forwarded != 0) || !secure && forwarded != total {
				t.Errorf("the proxy opened %d tunnels and forwarded %d of %d requests; want %s", tunnels, forwarded, total,
					map[bool]string{true: "tunnels only", false: "every request forwarded"}[secure])
			}
		})
	}
}

// TestRateIsKeptOverTLS: the whole suite over TLS with a CA file at
// --rate 50 passes, and the target counts at most 50 requests a second
// over the run (+10% for a loaded machine, which only delays requests)
// and in every one-second window (+50%: one request may be held up more
// than the next). In a CI log (CI set) it prints its progress.
func TestRateIsKeptOverTLS(t *testing.T) {
	const rate = 50
	var (
		mu       sync.Mutex
		arrivals []time.Time
	)
	mock := mustMock(t, "4.4")
	counting := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrivals = append(arrivals, time.Now())
		mu.Unlock()
		mock.ServeHTTP(w, r)
	})
	srv, ca := stagingtest.ServeTLS(t, counting, nil)
	r := runEnv(t, []string{"CI=true"}, 3*time.Minute, "--profile", mustProfile(t, withFields("tls: {ca_file: "+strconv.Quote(ca)+"}")...),
		"--base-url", srv.URL, "--enswitch-version", "4.4", "--no-color", "--seed", "5", "--fuzz-cases", "40", "--model-sequences", "20", "--rate", "50")
	if r.code != 0 || !strings.Contains(r.out, "enswitch-conformance: PASS") {
		t.Fatalf("exit %d; want 0 and PASS\n%s", r.code, r.tail())
	}
	mu.Lock()
	defer mu.Unlock()
	slices.SortFunc(arrivals, func(a, b time.Time) int { return a.Compare(b) })
	n := len(arrivals)
	span := arrivals[n-1].Sub(arrivals[0]).Seconds()
	if overall := float64(n-1) / span; overall > rate*1.1 {
		t.Errorf("the target saw %d requests in %.1fs, %.1f a second; want at most %g", n, span, overall, rate*1.1)
	}
	busiest := 0
	for i, start := range arrivals {
		j, _ := slices.BinarySearchFunc(arrivals, start.Add(time.Second), func(a, b time.Time) int { return a.Compare(b) })
		busiest = max(busiest, j-i)
	}
	if busiest > rate*3/2 {
		t.Errorf("the target saw %d requests within one second; want at most %d", busiest, rate*3/2)
	}
	if !regexp.MustCompile(`(?m)^progress: \d+/\d+ specs, \d+ lines created, now: \[`).MatchString(r.out) {
		t.Errorf("no progress line in a CI log of a %.0fs run\n%s", r.took.Seconds(), r.tail())
	}
	t.Logf("%d requests in %s (%.1f a second over the run, at most %d within one second)", n, r.took.Round(time.Millisecond), float64(n-1)/span, busiest)
}

// refusingAfter answers 429 (or 503) to every request after the first n,
// with a Retry-After, and counts what came after the first refusal.
type refusingAfter struct {
	next   http.Handler
	n      int
	status int

	mu    sync.Mutex
	seen  int
	after map[string]int // function → requests after the first refusal
}

func (h *refusingAfter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.seen++
	refuse := h.seen > h.n
	if h.seen > h.n+1 {
		h.after[function(r)]++
	}
	h.mu.Unlock()
	if !refuse {
		h.next.ServeHTTP(w, r)
		return
	}
	w.Header().Set("Retry-After", "30")
	w.WriteHeader(h.status)
}

// TestTargetRefusingLoadStopsTheRun: a 429 or 503 stops the run with that
// reason, exit 4, and no spec is reported failed for it; what the run
// sends after it is what was in flight and the cleanup. At the target
// check it is exit 2, in one line.
func TestTargetRefusingLoadStopsTheRun(t *testing.T) {
	cases := []struct {
		name   string
		after  int
		status int
		code   int
		want   []string
	}{
		{"429 in the middle of the run", 150, http.StatusTooManyRequests, 4, []string{
			"STOPPED EARLY: the target refused load: HTTP 429 Too Many Requests to phones/", "(Retry-After: 30); the run stops without retrying",
			" 0 failed;", "enswitch-conformance: FAIL: the target refused load: HTTP 429 Too Many Requests to phones/", "not a verdict on the contract"}},
		{"503 in the middle of the run", 300, http.StatusServiceUnavailable, 4, []string{
			"STOPPED EARLY: the target refused load: HTTP 503 Service Unavailable to phones/", " 0 failed;", "not a verdict on the contract"}},
		{"429 at the target check", 0, http.StatusTooManyRequests, 2, []string{
			"enswitch-conformance: the target refused load: HTTP 429 Too Many Requests to phones/get (Retry-After: 30) from http://", "no check ran"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := &refusingAfter{next: mustMock(t, "4.4"), n: tc.after, status: tc.status, after: map[string]int{}}
			junit := filepath.Join(t.TempDir(), "junit.xml")
			r := run(t, h, "4.4", mustProfile(t), "--fuzz-cases", "200", "--seed", "3", "--junit-report", junit)
			if r.code != tc.code {
				t.Fatalf("exit %d; want %d\n%s", r.code, tc.code, r.tail())
			}
			if report := mustRead(t, junit); tc.code == 4 && (strings.Contains(report, "<failure") || strings.Contains(report, "<error") ||
				!strings.Contains(report, `<skipped message="not run: the target refused load`)) {
				t.Errorf("the JUnit report holds a failure, or no check skipped as not run for the refusal\n%s", report)
			}
			for _, want := range tc.want {
				if !strings.Contains(r.out, want) {
					t.Errorf("output lacks %q\n%s", want, r.tail())
				}
			}
			h.mu.Lock()
			defer h.mu.Unlock()
			// In flight when it refused: at most the fuzz workers' cases
			// (create, read back); then a delete per line made.
			if creates := h.after["phones/create"]; creates > 8 {
				t.Errorf("%d creates after the target refused load; want at most 8, those in flight", creates)
			}
			t.Logf("after the refusal: %v", h.after)
		})
	}
}

// TestRateAndWorkersFromProfileOrFlags: the profile's rate and workers
// hold unless a flag overrides them; the first line says which hold.
func TestRateAndWorkersFromProfileOrFlags(t *testing.T) {
	cases := []struct {
		name   string
		fields string
		args   []string
		want   string
	}{
		{"defaults", "", nil, "no rate cap, 8 requests at once"},
		{"the profile's", "rate: 400\nworkers: 3", nil, "at most 400 requests/s, 3 at once"},
		{"flags over the profile's", "rate: 1\nworkers: 3", []string{"--rate", "500", "--workers", "5"}, "at most 500 requests/s, 5 at once"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := run(t, mustMock(t, "4.4"), "4.4", mustProfile(t, withFields(tc.fields)...), append([]string{"--label-filter", "codes"}, tc.args...)...)
			if r.code != 0 || !strings.Contains(strings.SplitN(r.out, "\n", 2)[0], tc.want) {
				t.Errorf("exit %d, first line %q; want 0 and %q", r.code, strings.SplitN(r.out, "\n", 2)[0], tc.want)
			}
		})
	}
}
