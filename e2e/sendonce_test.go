package e2e_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/mockserver/fault"
)

// journal keeps every request the faulted mock received, in order, and
// which of them it reset (docs/faults.md: the log).
type journal struct {
	mu       sync.Mutex
	requests []received
}

// received is one request: its function, the line it names, its bytes
// (method, query and body, for finding it sent again) and whether the
// mock reset it.
type received struct {
	function, name string
	bytes          string
	reset          bool
}

type journalKey struct{}

// wrap records each request before h, the faulted mock, answers it.
func (j *journal) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fn, api := wire.Function(r.URL.Path)
		if !api {
			h.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		name := paramsOf(r)["name"]
		j.mu.Lock()
		j.requests = append(j.requests, received{function: fn, name: name, bytes: r.Method + " " + r.URL.RequestURI() + " " + string(body)})
		i := len(j.requests) - 1
		j.mu.Unlock()
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), journalKey{}, i)))
	})
}

// Enabled, Handle, WithAttrs and WithGroup make the journal the fault
// handler's log: a "fault" line with fault=reset marks its request reset.
func (j *journal) Enabled(context.Context, slog.Level) bool { return true }
func (j *journal) WithAttrs([]slog.Attr) slog.Handler       { return j }
func (j *journal) WithGroup(string) slog.Handler            { return j }
func (j *journal) Handle(ctx context.Context, rec slog.Record) error {
	i, ok := ctx.Value(journalKey{}).(int)
	if !ok || rec.Message != "fault" {
		return nil
	}
	rec.Attrs(func(a slog.Attr) bool {
		if a.Key == "fault" && a.Value.String() == string(fault.Reset) {
			j.mu.Lock()
			j.requests[i].reset = true
			j.mu.Unlock()
		}
		return true
	})
	return nil
}

// resets counts, by function, the requests the mock reset, and of those
// the ones that came again, the same, later: a retry rule sent them again.
// unread lists each create sent again without a phones/get of its name
// between the reset and the new try (conformance.md: retries).
func (j *journal) resets() (all, again map[string]int, unread []string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	all, again = map[string]int{}, map[string]int{}
	for i, r := range j.requests {
		if !r.reset {
			continue
		}
		all[r.function]++
		later := j.requests[i+1:]
		k := slices.IndexFunc(later, func(l received) bool { return l.bytes == r.bytes })
		if k < 0 {
			continue
		}
		again[r.function]++
		if r.function == "phones/create" && !slices.ContainsFunc(later[:k], func(l received) bool { return l.function == "phones/get" && l.name == r.name }) {
			unread = append(unread, r.name)
		}
	}
	return all, again, unread
}

// byFunction reads "phones/create 33, phones/get 2" from the line re
// matches in out (its first group).
func byFunction(out string, re *regexp.Regexp) map[string]int {
	got := map[string]int{}
	m := re.FindStringSubmatch(out)
	if m == nil {
		return got
	}
	for part := range strings.SplitSeq(m[1], ", ") {
		fn, n, _ := strings.Cut(part, " ")
		got[fn], _ = strconv.Atoi(n)
	}
	return got
}

var (
	unansweredLine = regexp.MustCompile(`requests without an answer: \d+ of \d+ sent, each sent once \(([^)]*)\)`)
	targetErrors   = regexp.MustCompile(`target errors: \d+ checks? got no answer \([^)]*\), by function: ([^;]*);`)
)

// minus is a less b, by function, leaving out zeros.
func minus(a, b map[string]int) map[string]int {
	out := map[string]int{}
	for fn, n := range a {
		if d := n - b[fn]; d != 0 {
			out[fn] = d
		}
	}
	return out
}

// TestEveryResetIsCounted: against the mock resetting 10% of connections
// (--fault reset:0.1 --fault-seed 7), each reset is a request the suite
// counts as unanswered, for its function: the suite's client never sends
// one again behind its back, and --retries sends a create again only
// after phones/get shows its line does not exist (conformance.md:
// retries, target errors). Where each check sends one request, the checks
// reported without an answer are exactly the resets no retry rule sent
// again.
func TestEveryResetIsCounted(t *testing.T) {
	cases := []struct {
		name string
		args []string
		// oneRequestEach: every check sends one request, so the checks
		// without an answer match the resets not sent again, by function.
		oneRequestEach bool
	}{
		{"one request a check", []string{"--seed", "11", "--label-filter", "validation && !near-miss", "--workers", "1"}, true},
		{"every kind of check", flakyArgs, false},
		{"with --retries 3", append(slices.Clone(flakyArgs), "--retries", "3"), false},
	}
	reset, err := fault.ParseFault("reset:0.1")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var j journal
			srv := httptest.NewServer(j.wrap(fault.New(mustMock(t, "4.4"), fault.Config{Seed: 7, Faults: []fault.Fault{reset}}, slog.New(&j))))
			t.Cleanup(srv.Close)
			before := mockLines(t, srv.URL)
			r := runAt(t, srv.URL, "4.4", mustProfile(t), 2*time.Minute, tc.args...)
			all, again, unread := j.resets()
			unanswered, checks := byFunction(r.out, unansweredLine), byFunction(r.out, targetErrors)
			t.Logf("the mock reset %v, of which a retry rule sent again %v; the suite counts requests without an answer %v, checks without an answer %v",
				all, again, unanswered, checks)
			if len(all) == 0 {
				t.Fatalf("the mock reset nothing: the test proves nothing\n%s", r.tail())
			}
			if !maps.Equal(unanswered, all) {
				t.Errorf("requests without an answer by function: %v; want the mock's resets %v\n%s", unanswered, all, r.tail())
			}
			if len(unread) > 0 {
				t.Errorf("creates sent again without a phones/get of their name first: %v", unread)
			}
			if want := minus(all, again); tc.oneRequestEach && !maps.Equal(checks, want) {
				t.Errorf("checks without an answer by function: %v; want the resets no rule sent again %v\n%s", checks, want, r.tail())
			}
			mustLeaveNoLine(t, srv.URL, before, r)
		})
	}
}
