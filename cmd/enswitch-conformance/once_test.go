package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/enswitch-kit/phones/fixtures"
	"github.com/enswitch-kit/phones/internal/hostiletest"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/mockserver"
)

// TestCleanupSendsEachDeleteOnce: a connection cut after the target
// deleted a line leaves that delete without an answer; cleanup counts it
// and sends it again by its own rule (a 404 then says the line is gone),
// never behind its back: the target receives exactly the deletes cleanup
// says it sent.
func TestCleanupSendsEachDeleteOnce(t *testing.T) {
	mock, err := mockserver.New(mockserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var deletes atomic.Int64
	var mu sync.Mutex
	byName := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fn, _ := wire.Function(r.URL.Path); fn == "phones/delete" {
			deletes.Add(1)
			name, _ := wire.Get(mustPairs(r), "name")
			mu.Lock()
			byName[name]++
			mu.Unlock()
		}
		mock.ServeHTTP(w, r)
	}))
	defer srv.Close()
	var names []string
	for i := range 8 {
		name := fmt.Sprintf("970000%02d", i)
		res, err := http.Get(srv.URL + "/api/json/phones/create/?auth_username=user;auth_password=password;name=" + name + ";password=Secret-line-" + name)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if !strings.Contains(string(body), `"code":"204"`) {
			t.Fatalf("create %s: %s", name, body)
		}
		names = append(names, name)
	}
	var cuts atomic.Int64
	url := hostiletest.CutAfterAnswer(t, srv.URL, func(r *http.Request, onConn int) bool {
		if fn, _ := wire.Function(r.URL.Path); fn == "phones/delete" && onConn > 1 {
			cuts.Add(1)
			return true
		}
		return false
	})
	var stdout, stderr bytes.Buffer
	code := (&cli{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}).Run([]string{"cleanup",
		"--profile", mustFile(t, "profile.yaml", fixtures.Profile), "--base-url", url, "--from", mustReport(t, url, names...)})
	if code != exitPassed || !strings.Contains(stdout.String(), ", 0 left behind") {
		t.Fatalf("cleanup = %d; want %d and 0 left behind\nstdout:\n%s\nstderr:\n%s", code, exitPassed, stdout.String(), stderr.String())
	}
	if cuts.Load() == 0 {
		t.Fatal("no delete was cut: the test proves nothing")
	}
	want := fmt.Sprintf("requests: phones/delete %d sent, %d without an answer\n", deletes.Load(), cuts.Load())
	if !strings.Contains(stdout.String(), want) {
		t.Errorf("cleanup printed:\n%s\nwant the line %q: the target received %d deletes, %d were cut", stdout.String(), want, deletes.Load(), cuts.Load())
	}
	mu.Lock()
	defer mu.Unlock()
	for _, name := range names {
		if byName[name] > 2 {
			t.Errorf("delete %s: the target received it %d times; want at most twice (the second by cleanup's rule, after a cut)", name, byName[name])
		}
	}
}

// mustPairs reads a request's pairs and leaves its body readable.
func mustPairs(r *http.Request) []wire.Pair {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	pairs, _ := wire.AppendFirst(nil, r.URL.RawQuery)
	if r.Method == http.MethodPost {
		pairs, _ = wire.AppendFirst(pairs, string(body))
	}
	return pairs
}
