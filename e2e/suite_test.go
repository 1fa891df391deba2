package e2e_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/answertest"
	"github.com/enswitch-kit/phones/internal/wire"
)

// TestSuitePassesAgainstTheMock: the whole suite, every label, on every
// version the contract describes. This is how `make test` runs conformance.
func TestSuitePassesAgainstTheMock(t *testing.T) {
	profilePath := mustProfile(t)
	for _, v := range contract.MustLoad().Versions() {
		t.Run(v.String(), func(t *testing.T) {
			t.Parallel()
			r := run(t, mustMock(t, v.String()), v.String(), profilePath, "--seed", "4", "--fuzz-cases", "300")
			if r.code != 0 || !strings.Contains(r.out, "enswitch-conformance: PASS") {
				t.Fatalf("exit %d against the mock on %s; want 0 and PASS\n%s", r.code, v, r.tail())
			}
			for _, want := range []string{"seed 4 (replay with --seed 4)", "0 failed", "per parameter", "0 left behind"} {
				if !strings.Contains(r.out, want) {
					t.Errorf("output lacks %q\n%s", want, r.tail())
				}
			}
		})
	}
}

// TestEveryCreatedLineIsDeleted: the summary's account balances, and the
// target confirms no line the run made is left.
func TestEveryCreatedLineIsDeleted(t *testing.T) {
	mock := mustMock(t, "4.4")
	var created, deleted atomic.Int64
	counting := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := answertest.Record(mock, r)
		if out, err := wire.Decode(rec.Body); err == nil && out.Code == wire.Created {
			switch function(r) {
			case "phones/create":
				created.Add(1)
			case "phones/delete":
				deleted.Add(1)
			}
		}
		rec.Send(w)
	})
	r := run(t, counting, "4.4", mustProfile(t), "--fuzz-cases", "200")
	if r.code != 0 {
		t.Fatalf("exit %d; want 0\n%s", r.code, r.tail())
	}
	if created.Load() == 0 || created.Load() != deleted.Load() {
		t.Errorf("the target created %d lines and deleted %d; want every created line deleted", created.Load(), deleted.Load())
	}
	m := regexp.MustCompile(`(\d+) lines created, (\d+) deleted, 0 left behind`).FindStringSubmatch(r.out)
	if m == nil || m[1] != strconv.FormatInt(created.Load(), 10) {
		t.Errorf("summary %v; want %d lines created and deleted, 0 left behind\n%s", m, created.Load(), r.tail())
	}
}

// TestMaxLinesIsNeverExceeded: a small budget skips what would pass it,
// with that reason, and the target sees no more creates than allowed.
func TestMaxLinesIsNeverExceeded(t *testing.T) {
	mock := mustMock(t, "4.4")
	var (
		mu      sync.Mutex
		creates []string
	)
	counting := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		params := paramsOf(r)
		if function(r) == "phones/create" && params["validation"] != "1" {
			mu.Lock()
			creates = append(creates, r.Method+" "+params["name"]+" validation="+params["validation"])
			mu.Unlock()
		}
		mock.ServeHTTP(w, r)
	})
	r := run(t, counting, "4.4", mustProfile(t, "max_lines: 200", "max_lines: 5"), "--fuzz-cases", "100")
	if len(creates) > 5 {
		t.Errorf("the target received %d creates without validation=1; max_lines is 5:\n%s", len(creates), strings.Join(creates, "\n"))
	}
	for _, want := range []string{"target-profile.md: max_lines is 5", "of max_lines 5"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("output lacks %q\n%s", want, r.tail())
		}
	}
	if r.code != 0 {
		t.Errorf("exit %d; skipped specs are not failures\n%s", r.code, r.tail())
	}
}

// TestCleanupNoneListsLinesLeftBehind: with cleanup: none nothing is
// deleted and every line left is named.
func TestCleanupNoneListsLinesLeftBehind(t *testing.T) {
	mock := mustMock(t, "4.4")
	var deletes, created atomic.Int64
	watching := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if function(r) == "phones/delete" {
			deletes.Add(1)
		}
		rec := answertest.Record(mock, r)
		if out, err := wire.Decode(rec.Body); err == nil && out.Code == wire.Created && function(r) == "phones/create" {
			created.Add(1)
		}
		rec.Send(w)
	})
	r := run(t, watching, "4.4", mustProfile(t, "cleanup: phones/delete", "cleanup: none"), "--label-filter", "defaults || round-trip")
	if deletes.Load() != 0 {
		t.Errorf("cleanup: none, yet %d deletes reached the target", deletes.Load())
	}
	if n := strings.Count(r.out, "left behind: 97"); int64(n) != created.Load() || n < 2 || r.code != 0 {
		t.Errorf("exit %d, %d lines listed as left behind; want 0 and every line the target created (%d)\n%s", r.code, n, created.Load(), r.tail())
	}
}

// TestExitCodes: bad usage is 2, a label filter that selects no spec (a
// typo) included, and its message has no colour codes.
func TestExitCodes(t *testing.T) {
	mock := mustMock(t, "4.4")
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no spec selected", []string{"--label-filter", "no-such-label"}, 2, `label filter "no-such-label" selects no spec; the labels are accepted, cleanup, codes, defaults`},
		{"no spec selected by a conjunction", []string{"--label-filter", "codes && param:nosuch"}, 2, "selects no spec"},
		{"bad label filter", []string{"--label-filter", "codes &&"}, 2, "label filter"},
		{"bad label filter, no colour", []string{"--label-filter", "((", "--no-color"}, 2, `label filter "((": Syntax Error Parsing Label Filter`},
		{"unknown version", []string{"--enswitch-version", "5.0"}, 2, "version 5.0 is not described"},
		{"one label", []string{"--label-filter", "cleanup"}, 0, "PASS"},
		{"model replay token not from a report", []string{"--model-replay", "abc"}, 2, `model replay token: want one starting "m1."`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, mock, "4.4", mustProfile(t), tc.args...)
			if r.code != tc.code || !strings.Contains(r.out, tc.want) {
				t.Errorf("exit %d; want %d with %q\n%s", r.code, tc.code, tc.want, r.tail())
			}
			if tc.code == 2 && strings.Contains(r.out, "\x1b[") {
				t.Errorf("the usage error has colour codes:\n%q", r.out)
			}
		})
	}
}

// TestLabelTypoBeforeAnyRequest: a label filter that selects nothing is
// said before the target is asked anything, even when it cannot answer.
func TestLabelTypoBeforeAnyRequest(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close() // nothing listens: the target is down
	r := runAt(t, srv.URL, "4.4", mustProfile(t), time.Minute, "--label-filter", "defualts")
	if r.code != 2 || !strings.Contains(r.out, `label filter "defualts" selects no spec`) || strings.Contains(r.out, "unreachable") {
		t.Errorf("exit %d; want 2 naming the filter, not the target\n%s", r.code, r.tail())
	}
}

// TestReports: --junit-report and --json-report write CI reports.
func TestReports(t *testing.T) {
	dir := t.TempDir()
	junit, js := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "report.json")
	r := run(t, mustMock(t, "4.0"), "4.0", mustProfile(t), "--label-filter", "codes", "--junit-report", junit, "--json-report", js)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.tail())
	}
	x, err := os.ReadFile(junit)
	if err != nil || !strings.Contains(string(x), "<testsuites") || !strings.Contains(string(x), "answers 201 and creates nothing") {
		t.Errorf("JUnit report: %v\n%.400s", err, x)
	}
	j, err := os.ReadFile(js)
	var doc struct {
		Verdict string `json:"verdict"`
		Specs   []any  `json:"specs"`
	}
	if err != nil || json.Unmarshal(j, &doc) != nil || doc.Verdict != "PASS" || len(doc.Specs) == 0 {
		t.Errorf("JSON report: %v, verdict %q, %d specs; want PASS and the specs", err, doc.Verdict, len(doc.Specs))
	}
}

// TestSeedReplays: the same seed draws the same cases, so the same fuzz
// cases fail; the seed is printed either way.
func TestSeedReplays(t *testing.T) {
	failing := func() result {
		return run(t, truncateText(mustMock(t, "4.4"), 24), "4.4", mustProfile(t), "--label-filter", "fuzz", "--fuzz-cases", "60", "--seed", "12345")
	}
	a, b := failing(), failing()
	pick := regexp.MustCompile(`(?m)^.*(\d+ of \d+ valid combinations failed|\[\d\] case #\d+, \d+ parameters).*$`)
	x, y := pick.FindAllString(a.out, -1), pick.FindAllString(b.out, -1)
	if len(x) == 0 || strings.Join(x, "\n") != strings.Join(y, "\n") {
		t.Errorf("two runs with --seed 12345 differ:\n%s\n---\n%s", strings.Join(x, "\n"), strings.Join(y, "\n"))
	}
	if !strings.Contains(a.out, "seed 12345 (replay with --seed 12345)") {
		t.Errorf("seed not printed at the start\n%s", a.tail())
	}
}

// TestMissingOptionalFieldsSkipWithTheirName: a profile without the
// optional accounts and line skips what needs them, naming the field.
func TestMissingOptionalFieldsSkipWithTheirName(t *testing.T) {
	profilePath := mustProfile(t,
		"  wholesale:  {username: whole,  password: whole-secret}\n", "",
		"  restricted: {username: clerk,  password: clerk-secret}\n", "",
		"  no_plan:    {username: noplan, password: noplan-secret}\n", "",
		"existing:\n  other_customer_line: \"2001\"\n  other_customer: 2\n", "")
	r := run(t, mustMock(t, "4.4"), "4.4", profilePath, "--label-filter", "codes")
	if r.code != 0 {
		t.Fatalf("exit %d; skips are not failures\n%s", r.code, r.tail())
	}
	for _, field := range []string{"accounts.wholesale", "accounts.restricted", "accounts.no_plan", "existing.other_customer_line", "existing.other_customer"} {
		if !strings.Contains(r.out, "target-profile.md: the profile has no "+field+";") && !strings.Contains(r.out, "set "+field+" ") {
			t.Errorf("no skip reason names %s\n%s", field, r.tail())
		}
	}
}
