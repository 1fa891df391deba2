package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/enswitch-kit/phones/fixtures"
	"github.com/enswitch-kit/phones/mockserver"
)

// diffProfile writes the mock's profile pointed at url.
func diffProfile(tb testing.TB, url string) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "profile.yaml")
	data := strings.Replace(string(fixtures.Profile), "http://127.0.0.1:8080", url, 1)
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// TestDiffCannotRunExitsTwo: wrong flags, a profile missing or given once,
// and a target that does not answer stop the diff before it compares
// anything, saying why.
func TestDiffCannotRunExitsTwo(t *testing.T) {
	mock, err := mockserver.New(mockserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	up := httptest.NewServer(mock)
	defer up.Close()
	// Closed after up is bound, so up cannot be given its port.
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	good, gone := diffProfile(t, up.URL), diffProfile(t, closed.URL)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--profile", good}, "usage: enswitch-conformance diff --profile A.yaml --profile B.yaml"},
		{[]string{"--profile", good, "--profile", good, "--profile", good}, "usage: enswitch-conformance diff"},
		{[]string{"--profile", good, "--profile", good, "--noise", "-1"}, "--noise -1: want 0 or more"},
		{[]string{"--profile", good, "--profile", good, "--timeout", "0s"}, "--timeout 0s"},
		{[]string{"--profile", good, "--profile", "no-such.yaml"}, "read profile no-such.yaml"},
		{[]string{"--profile", good, "--profile", good, "--requests", "no-such.jsonl"}, "read requests no-such.jsonl"},
		{[]string{"--profile", good, "--profile", gone}, "target B (" + closed.URL + "): target unreachable"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := (&cli{stdout: &stdout, stderr: &stderr}).Run(append([]string{"diff"}, tc.args...))
			if code != exitCannotRun || !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("diff %q = %d, stderr %q; want %d and %q", tc.args, code, stderr.String(), exitCannotRun, tc.want)
			}
		})
	}
}

// TestDiffStopsWhenATargetRefusesLoad: a target that answers HTTP 429
// mid-run stops the diff with exit 4, naming the target.
func TestDiffStopsWhenATargetRefusesLoad(t *testing.T) {
	mock, err := mockserver.New(mockserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := httptest.NewServer(mock)
	defer a.Close()
	var n atomic.Int64
	b := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) > 5 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		mock.ServeHTTP(w, r)
	}))
	defer b.Close()
	var stdout, stderr bytes.Buffer
	code := (&cli{stdout: &stdout, stderr: &stderr}).Run([]string{"diff", "--profile", diffProfile(t, a.URL), "--profile", diffProfile(t, b.URL), "--seed", "1"})
	if code != exitRefused || !strings.Contains(stdout.String(), "STOPPED: target B: the target refused load: HTTP 429") {
		t.Errorf("exit %d, stdout:\n%s\nstderr:\n%s\nwant exit %d naming target B's 429", code, stdout.String(), stderr.String(), exitRefused)
	}
}

// TestDiffHelp: --help prints the usage with its flags and exit codes to
// stdout and exits 0.
func TestDiffHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := (&cli{stdout: &stdout, stderr: &stderr}).Run([]string{"diff", "--help"})
	for _, want := range []string{"--profile A.yaml --profile B.yaml", "-noise", "-requests", "-junit-report", "4 a target refused load", "docs/diff.md"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("diff --help lacks %q:\n%s", want, stdout.String())
		}
	}
	if code != exitPassed {
		t.Errorf("exit %d; want 0", code)
	}
}
