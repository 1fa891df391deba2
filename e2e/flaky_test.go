package e2e_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/mockserver/fault"
)

// faulty is the 4.4 mock behind seeded fault injection (docs/faults.md),
// on a test server; /_mock/ is never faulted.
func faulty(tb testing.TB, seed uint64, faults []string, delays ...string) *httptest.Server {
	tb.Helper()
	cfg := fault.Config{Seed: seed}
	for _, spec := range faults {
		f, err := fault.ParseFault(spec)
		if err != nil {
			tb.Fatal(err)
		}
		cfg.Faults = append(cfg.Faults, f)
	}
	for _, spec := range delays {
		d, err := fault.ParseDelay(spec)
		if err != nil {
			tb.Fatal(err)
		}
		cfg.Delays = append(cfg.Delays, d)
	}
	if err := cfg.Validate(); err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(fault.New(mustMock(tb, "4.4"), cfg, nil))
	tb.Cleanup(srv.Close)
	return srv
}

// mockLines are the names of the lines the mock at url holds
// (admin-api.md: GET /_mock/lines).
func mockLines(tb testing.TB, url string) []string {
	tb.Helper()
	resp, err := http.Get(url + "/_mock/lines")
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		Lines []map[string]any `json:"lines"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		tb.Fatalf("GET /_mock/lines: %v", err)
	}
	var names []string
	for _, l := range doc.Lines {
		name, _ := l["name"].(string)
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// mustLeaveNoLine fails unless the mock holds the lines it held before.
func mustLeaveNoLine(tb testing.TB, url string, before []string, r result) {
	tb.Helper()
	after := mockLines(tb, url)
	var extra []string
	for _, n := range after {
		if !slices.Contains(before, n) {
			extra = append(extra, n)
		}
	}
	if len(extra) > 0 {
		tb.Errorf("the run left %d lines on the target: %v\n%s", len(extra), extra, r.tail())
	}
}

// flakyArgs keep a faulted run short and replayable.
var flakyArgs = []string{"--seed", "11", "--fuzz-cases", "60", "--label-filter", "!version-history"}

// TestFlakyTargetIsInconclusive: a target that drops or delays a few
// requests past the timeout is reported as such, never as a broken
// contract; with --retries the same run passes and says how many were
// sent again; either way no line is left.
func TestFlakyTargetIsInconclusive(t *testing.T) {
	cases := []struct {
		name   string
		faults []string
		delays []string
		args   []string
		kind   string
	}{
		{"connections reset", []string{"reset:0.05"}, nil, nil, "reset "},
		// Reads only, which the mock does not carry out once the client
		// has gone; lognormal with median 1ms and sigma 3: 4.7 % above
		// 150ms.
		{"reads answered past the timeout", nil, []string{"lognormal:1ms,3@phones/get"}, []string{"--timeout", "150ms"}, "timeout "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := faulty(t, 7, tc.faults, tc.delays...)
			before := mockLines(t, srv.URL)
			args := append(slices.Clone(flakyArgs), tc.args...)
			r := runAt(t, srv.URL, "4.4", mustProfile(t), 2*time.Minute, args...)
			if r.code != 5 || !regexp.MustCompile(`enswitch-conformance: INCONCLUSIVE: \d+ checks got no answer \(.*`+tc.kind+`\d+.*\); 0 contract failures`).MatchString(r.out) {
				t.Errorf("exit %d; want 5 and INCONCLUSIVE naming the %s\n%s", r.code, tc.kind, r.tail())
			}
			if strings.Contains(r.out, "\nfailed (") {
				t.Errorf("a check that got no answer is listed as failed\n%s", r.tail())
			}
			mustLeaveNoLine(t, srv.URL, before, r)

			srv = faulty(t, 7, tc.faults, tc.delays...)
			before = mockLines(t, srv.URL)
			r = runAt(t, srv.URL, "4.4", mustProfile(t), 2*time.Minute, append(args, "--retries", "3")...)
			if r.code != 0 || !strings.Contains(r.out, "enswitch-conformance: PASS") {
				t.Errorf("with --retries 3: exit %d; want 0 and PASS\n%s", r.code, r.tail())
			}
			if !regexp.MustCompile(`retries \(--retries 3\): [1-9]\d* requests sent again, [1-9]\d* of them then answered`).MatchString(r.out) {
				t.Errorf("with --retries 3 the summary does not say how many requests were sent again\n%s", r.tail())
			}
			mustLeaveNoLine(t, srv.URL, before, r)
		})
	}
}
