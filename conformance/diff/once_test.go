package diff_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/enswitch-kit/phones/conformance/diff"
	"github.com/enswitch-kit/phones/internal/hostiletest"
	"github.com/enswitch-kit/phones/internal/wire"
)

// counting counts the creates next receives, by line name.
func counting(next http.Handler, mu *sync.Mutex, creates map[string]int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if function(r) == "phones/create" {
			name, _ := wire.Get(params(r), "name")
			mu.Lock()
			creates[name]++
			mu.Unlock()
		}
		next.ServeHTTP(w, r)
	})
}

// TestACutCreateIsSentOnceAndCounted: a connection cut after the target
// carried out a create leaves the create without an answer: the diff
// never sends it again, and its summary and JSON report count it for
// phones/create on that side.
func TestACutCreateIsSentOnceAndCounted(t *testing.T) {
	var mu sync.Mutex
	creates := map[string]int{}
	var cuts atomic.Int64
	cutCreates := func(r *http.Request, onConn int) bool {
		if function(r) == "phones/create" && onConn > 1 {
			cuts.Add(1)
			return true
		}
		return false
	}
	a := hostiletest.CutAfterAnswer(t, mustServe(t, counting(mustMockHandler(t, "4.4"), &mu, creates)).URL, cutCreates)
	b := mustMock(t, "4.4")
	res := mustRun(t, diff.Options{A: mustProfile(t, a, "4.4"), B: mustProfile(t, b.URL, "4.4"), FuzzCases: 4})
	if cuts.Load() == 0 {
		t.Fatal("no create was cut: the test proves nothing")
	}
	mu.Lock()
	for name, n := range creates {
		if n != 1 {
			t.Errorf("create %s: target A received it %d times; want once", name, n)
		}
	}
	mu.Unlock()
	if got := res.A.Requests["phones/create"]; got.Unanswered != int(cuts.Load()) || got.Sent != len(creates) {
		t.Errorf("A's phones/create: %+v; want %d sent, %d without an answer (the cuts)", got, len(creates), cuts.Load())
	}
	if res.B.Unanswered() != 0 {
		t.Errorf("B: %d requests without an answer; want none", res.B.Unanswered())
	}
	var out strings.Builder
	if err := res.WriteSummary(&out); err != nil {
		t.Fatal(err)
	}
	if want := res.A.RequestsLine(); !strings.Contains(out.String(), want+"\n") || !strings.Contains(want, " without an answer (phones/create ") {
		t.Errorf("summary:\n%s\nwant the line %q, naming phones/create", out.String(), want)
	}
	path := filepath.Join(t.TempDir(), "diff.json")
	if err := res.WriteJSON(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		A struct {
			Requests map[string]struct{ Sent, Unanswered int } `json:"requests"`
		} `json:"a"`
	}
	if err := json.Unmarshal(data, &doc); err != nil || doc.A.Requests["phones/create"].Unanswered != int(cuts.Load()) {
		t.Errorf("JSON report a.requests = %+v (%v); want phones/create with %d unanswered", doc.A.Requests, err, cuts.Load())
	}
}
