package fault_test

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/internal/logtest"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/mockserver"
	"github.com/enswitch-kit/phones/mockserver/fault"
)

// getPath reads a fixture line: a function call that changes nothing.
const getPath = "/api/json/phones/get/?auth_username=user;auth_password=password;name=1001"

// mustServe starts the mock behind the fault handler; the log goes to the
// returned buffer.
func mustServe(tb testing.TB, cfg fault.Config) (string, *logtest.Buffer) {
	tb.Helper()
	if err := cfg.Validate(); err != nil {
		tb.Fatal(err)
	}
	mock, err := mockserver.New(mockserver.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	logs := &logtest.Buffer{}
	srv := httptest.NewServer(fault.New(mock, cfg, slog.New(slog.NewTextHandler(logs, nil))))
	tb.Cleanup(srv.Close)
	return srv.URL, logs
}

// client uses a fresh connection per request: net/http retries a GET
// that failed on a reused one, which would hide a fault.
var client = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}

// observe is what a Go client sees of one answer, as one word.
func observe(target string, header string) string {
	req, _ := http.NewRequest(http.MethodGet, target, nil)
	if header != "" {
		req.Header.Set(fault.Header, header)
	}
	res, err := client.Do(req)
	switch {
	case errors.Is(err, syscall.ECONNRESET):
		return "reset"
	case err != nil && strings.HasSuffix(err.Error(), ": EOF"):
		return "empty"
	case err != nil:
		return "error: " + err.Error()
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	switch {
	case err != nil && errors.Is(err, io.ErrUnexpectedEOF):
		return "truncated"
	case err != nil:
		return "read error: " + err.Error()
	case res.StatusCode == http.StatusInternalServerError:
		return "http-500"
	}
	out, err := wire.Decode(body)
	if err != nil {
		return "malformed"
	}
	return "code " + string(out.Code)
}

// binomialBound is the range a count of n trials at rate p falls in but
// for a chance below one in ten thousand or so: mean ± 4 standard
// deviations.
func binomialBound(n int, p float64) (lo, hi int) {
	mean := float64(n) * p
	sd := math.Sqrt(mean * (1 - p))
	return int(math.Floor(mean - 4*sd)), int(math.Ceil(mean + 4*sd))
}

// TestEachFaultAtItsRate: a Go client sees each kind of fault in about
// its configured share of answers, and the others untouched.
func TestEachFaultAtItsRate(t *testing.T) {
	const n, rate = 400, 0.25
	cases := []struct{ spec, seen string }{
		{"http-500", "http-500"},
		{"reset", "reset"},
		{"empty", "empty"},
		{"truncated", "truncated"},
		{"malformed", "malformed"},
		{"code=402", "code 402"},
	}
	for i, tc := range cases {
		t.Run(tc.spec, func(t *testing.T) {
			f, err := fault.ParseFault(fmt.Sprintf("%s:%g", tc.spec, rate))
			if err != nil {
				t.Fatal(err)
			}
			url, logs := mustServe(t, fault.Config{Seed: uint64(7 + i), Faults: []fault.Fault{f}})
			seen := map[string]int{}
			for range n {
				seen[observe(url+getPath, "")]++
			}
			lo, hi := binomialBound(n, rate)
			if got := seen[tc.seen]; got < lo || got > hi {
				t.Errorf("%s seen %d times in %d; want %d to %d (all: %v)", tc.seen, got, n, lo, hi, seen)
			}
			if seen[tc.seen]+seen["code 200"] != n {
				t.Errorf("answers = %v; want only %s and code 200", seen, tc.seen)
			}
			if got := strings.Count(logs.String(), "msg=fault"); got != seen[tc.seen] {
				t.Errorf("the log marks %d faulted answers; want %d", got, seen[tc.seen])
			}
			t.Logf("%s: %d of %d (%.3f; configured %.2f)", tc.seen, seen[tc.seen], n, float64(seen[tc.seen])/n, rate)
		})
	}
}

// TestSameSeedSameSequence: a seed replays the sequence of faults; another
// seed gives another.
func TestSameSeedSameSequence(t *testing.T) {
	faults := []fault.Fault{
		{Kind: fault.Reset, Rate: 0.1},
		{Kind: fault.Code, Code: wire.RoleForbidden, Rate: 0.2},
		{Kind: fault.HTTP500, Rate: 0.1},
	}
	sequence := func(seed uint64) string {
		url, _ := mustServe(t, fault.Config{Seed: seed, Faults: faults})
		var seq []string
		for range 60 {
			seq = append(seq, observe(url+getPath, ""))
		}
		return strings.Join(seq, ",")
	}
	first, again, other := sequence(42), sequence(42), sequence(43)
	if first != again {
		t.Errorf("seed 42 gave\n%s\nthen\n%s", first, again)
	}
	if first == other {
		t.Errorf("seeds 42 and 43 gave the same sequence %s", first)
	}
}

// TestLatency: a delay is at least its configured time, for the function
// it names; uniform delays are at least their lower bound.
func TestLatency(t *testing.T) {
	for _, spec := range []string{"fixed:40ms@phones/get", "40ms", "uniform:40ms-60ms@phones/get", "lognormal:40ms,0.3,45ms"} {
		t.Run(spec, func(t *testing.T) {
			d, err := fault.ParseDelay(spec)
			if err != nil {
				t.Fatal(err)
			}
			url, logs := mustServe(t, fault.Config{Seed: 1, Delays: []fault.Delay{d}})
			lower := 40 * time.Millisecond
			if d.Dist == fault.Lognormal {
				lower = 0 // only its median is known; the log says what it drew
			}
			for range 3 {
				start := time.Now()
				if got := observe(url+getPath, ""); got != "code 200" {
					t.Fatalf("answer = %s; want code 200", got)
				}
				if took := time.Since(start); took < lower {
					t.Errorf("answer after %s; want at least %s", took, lower)
				}
			}
			if got := strings.Count(logs.String(), "msg=fault"); got != 3 || !strings.Contains(logs.String(), "latency=") {
				t.Errorf("log = %s; want 3 fault lines with their latency", logs)
			}
		})
	}
}

// TestLatencyOnlyForItsFunction: a delay for phones/create leaves
// phones/get alone.
func TestLatencyOnlyForItsFunction(t *testing.T) {
	d, _ := fault.ParseDelay("10s@phones/create")
	url, logs := mustServe(t, fault.Config{Seed: 1, Delays: []fault.Delay{d}})
	if got := observe(url+getPath, ""); got != "code 200" {
		t.Errorf("phones/get = %s; want code 200", got)
	}
	if logs := logs.String(); strings.Contains(logs, "msg=fault") {
		t.Errorf("phones/get was delayed: %s", logs)
	}
}

// TestHeader: the fault header is ignored unless allowed; allowed, it
// decides the request's faults; a bad one is a 400.
func TestHeader(t *testing.T) {
	closed, _ := mustServe(t, fault.Config{Seed: 1})
	if got := observe(closed+getPath, "code=402"); got != "code 200" {
		t.Errorf("header without --allow-fault-header: %s; want code 200", got)
	}
	open, logs := mustServe(t, fault.Config{Seed: 1, AllowHeader: true})
	for header, want := range map[string]string{
		"code=402":                "code 402",
		"reset":                   "reset",
		"http-500, latency=1ms":   "http-500",
		"malformed":               "malformed",
		"teapot":                  "code 400",
		"code=402:0.8, reset:0.8": "code 400",
	} {
		if got := observe(open+getPath, header); got != want {
			t.Errorf("%s: %s = %s; want %s", fault.Header, header, got, want)
		}
	}
	if !strings.Contains(logs.String(), "source=header") {
		t.Errorf("log = %s; want faults marked source=header", logs)
	}
}

// TestNeverOutsideTheAPI: /healthz and the mock's own endpoints are never
// faulted, even at rate 1.
func TestNeverOutsideTheAPI(t *testing.T) {
	url, logs := mustServe(t, fault.Config{Seed: 1, Faults: []fault.Fault{{Kind: fault.Reset, Rate: 1}}, Delays: []fault.Delay{{Dist: fault.Fixed, Fixed: time.Hour}}, AllowHeader: true})
	for _, path := range []string{"/healthz", "/_mock/reset"} {
		method := http.MethodGet
		if path == "/_mock/reset" {
			method = http.MethodPost
		}
		req, _ := http.NewRequest(method, url+path, nil)
		req.Header.Set(fault.Header, "reset")
		res, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: HTTP %d; want 200", path, res.StatusCode)
		}
	}
	if strings.Contains(logs.String(), "msg=fault") {
		t.Errorf("a fault outside /api/json/: %s", logs)
	}
}

// TestParse: specs as the flags and the header take them.
func TestParse(t *testing.T) {
	good := map[string]fault.Fault{
		"reset":                      {Kind: fault.Reset, Rate: 1},
		"http-500:0.05":              {Kind: fault.HTTP500, Rate: 0.05},
		"code=402:0.1@phones/create": {Kind: fault.Code, Code: "402", Rate: 0.1, Function: "phones/create"},
		"truncated:1@phones/get":     {Kind: fault.Truncated, Rate: 1, Function: "phones/get"},
	}
	for spec, want := range good {
		if got, err := fault.ParseFault(spec); err != nil || got != want {
			t.Errorf("ParseFault(%q) = %+v, %v; want %+v", spec, got, err, want)
		}
	}
	for _, spec := range []string{"", "boom", "reset:0", "reset:1.5", "reset:x", "code=4020", "code=abc", "code:0.5", "reset@phones/creat", "reset@/api/json/phones/create"} {
		if _, err := fault.ParseFault(spec); err == nil {
			t.Errorf("ParseFault(%q) = nil error; want one", spec)
		}
	}
	for _, spec := range []string{"", "fixed:-1s", "uniform:50ms", "uniform:60ms-50ms", "lognormal:80ms", "lognormal:0s,0.4", "lognormal:80ms,0.4,10ms", "gamma:1s", "200ms@phones/list"} {
		if _, err := fault.ParseDelay(spec); err == nil {
			t.Errorf("ParseDelay(%q) = nil error; want one", spec)
		}
	}
	over := fault.Config{Faults: []fault.Fault{{Kind: fault.Reset, Rate: 0.6}, {Kind: fault.Empty, Rate: 0.6, Function: "phones/get"}}}
	if err := over.Validate(); err == nil {
		t.Error("Validate of rates adding up to 1.2 for phones/get = nil; want an error")
	}
}
