package e2e_test

import (
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/fixtures"
	"github.com/enswitch-kit/phones/internal/hostiletest"
	"github.com/enswitch-kit/phones/internal/wire"
)

// TestTargetCheckedFirst: a target that is not an Enswitch JSON API, or
// that refuses the admin account, gets one request and one line of
// output, exit 2: no spec runs and no line is created.
func TestTargetCheckedFirst(t *testing.T) {
	html := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("<html><body>Not Found</body></html>"))
	})
	cases := []struct {
		name    string
		handler http.Handler // nil: nothing listens
		prefix  string       // added to the base URL
		edits   []string     // to the profile
		want    *regexp.Regexp
	}{
		{"an HTML page", html, "", nil,
			regexp.MustCompile(`^enswitch-conformance: target is not an Enswitch JSON API: HTTP 404 text/html from http://127\.0\.0\.1:\d+/api/json/phones/get/$`)},
		{"the mock under a wrong path", mustMock(t, "4.4"), "/enswitch", nil,
			regexp.MustCompile(`^enswitch-conformance: target is not an Enswitch JSON API: HTTP 404 application/json from http://127\.0\.0\.1:\d+/enswitch/api/json/phones/get/$`)},
		{"a closed port", nil, "", nil,
			regexp.MustCompile(`^enswitch-conformance: target unreachable: GET /api/json/phones/get/: connection to 127\.0\.0\.1:\d+ refused \(base_url http://127\.0\.0\.1:\d+\)$`)},
		{"a wrong admin password", mustMock(t, "4.4"), "", []string{"admin:      {username: user,   password: password}", "admin: {username: user, password: Wr0ng-Passw0rd}"},
			regexp.MustCompile(`^enswitch-conformance: the target refuses accounts\.admin: phones/get answered 401 from http://127\.0\.0\.1:\d+/api/json/phones/get/; check the account's username and password$`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var requests atomic.Int64
			base := hostiletest.Refused(t)
			if tc.handler != nil {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					requests.Add(1)
					tc.handler.ServeHTTP(w, r)
				}))
				defer srv.Close()
				base = srv.URL
			}
			r := runAt(t, base+tc.prefix, "4.4", mustProfile(t, tc.edits...), 20*time.Second)
			out := strings.TrimSuffix(r.out, "\n")
			if r.code != 2 || !tc.want.MatchString(out) {
				t.Errorf("exit %d, output %q; want 2 and one line matching %s", r.code, out, tc.want)
			}
			if n := requests.Load(); tc.handler != nil && n != 1 {
				t.Errorf("the target got %d requests; want the one that checks it", n)
			}
			if strings.Contains(r.out, "Wr0ng-Passw0rd") {
				t.Errorf("the password is in the output: %q", r.out)
			}
		})
	}
}

// TestPartialNamesTheFieldToAdd: with one optional field left out of the
// profile, every spec that runs passes and the verdict is PARTIAL, naming
// that field; --require-complete turns it into exit 3. The whole profile
// passes.
func TestPartialNamesTheFieldToAdd(t *testing.T) {
	const filter = "codes || cleanup"
	cases := []struct{ field, old, new string }{
		{"accounts.wholesale", "  wholesale:  {username: whole,  password: whole-secret}\n", ""},
		{"accounts.restricted", "  restricted: {username: clerk,  password: clerk-secret}\n", ""},
		{"accounts.no_plan", "  no_plan:    {username: noplan, password: noplan-secret}\n", ""},
		{"existing.other_customer_line", "  other_customer_line: \"2001\"\n", ""},
		{"cleanup", "cleanup: phones/delete", "cleanup: none"},
	}
	if m := regexp.MustCompile(`(?m)^  other_customer: .*\n`).FindString(string(fixtures.Profile)); m != "" {
		cases = append(cases, struct{ field, old, new string }{"existing.other_customer", m, ""})
	}
	mock := mustMock(t, "4.4")
	full := run(t, mock, "4.4", mustProfile(t), "--label-filter", filter, "--require-complete")
	if full.code != 0 || !strings.HasSuffix(full.out, "\nenswitch-conformance: PASS\n") {
		t.Fatalf("the whole profile: exit %d; want 0 and PASS last\n%s", full.code, full.tail())
	}
	for _, tc := range cases {
		t.Run(tc.field, func(t *testing.T) {
			path := mustProfile(t, tc.old, tc.new)
			for _, args := range [][]string{{"--label-filter", filter}, {"--label-filter", filter, "--require-complete"}} {
				r := run(t, mustMock(t, "4.4"), "4.4", path, args...)
				want := 0
				if len(args) > 2 {
					want = 3
				}
				last := lastLine(r.out)
				if r.code != want || !strings.HasPrefix(last, "enswitch-conformance: PARTIAL: every spec that ran passed; ") || !strings.Contains(last, " for want of "+tc.field+" (") {
					t.Errorf("%q: exit %d, last line %q; want %d, PARTIAL naming %s\n%s", args, r.code, last, want, tc.field, r.tail())
				}
				if !strings.Contains(r.out, "\n  "+tc.field+" (") {
					t.Errorf("the summary does not list the specs that need %s\n%s", tc.field, r.tail())
				}
			}
		})
	}
}

// TestFailIsNotPartial: a failed spec makes the run FAIL (exit 1) even
// when others were skipped for want of a field.
func TestFailIsNotPartial(t *testing.T) {
	broken := answerWith(mustMock(t, "4.4"), "phones/create", func(_ wire.Values, resp, _ map[string]any) {
		if resp["code"] == "204" {
			resp["code"] = "200"
		}
	})
	path := mustProfile(t, "  wholesale:  {username: whole,  password: whole-secret}\n", "")
	r := run(t, broken, "4.4", path, "--label-filter", "codes", "--require-complete", "--seed", "5")
	if last := lastLine(r.out); r.code != 1 || last != "enswitch-conformance: FAIL (replay with --seed 5)" {
		t.Errorf("exit %d, last line %q; want 1 and FAIL\n%s", r.code, last, r.tail())
	}
}

// TestHelpAndVersionOfTheBinary: the built binary answers --help and
// --version on stdout, exit 0, with the version from its build info.
func TestHelpAndVersionOfTheBinary(t *testing.T) {
	h := runEnv(t, nil, 20*time.Second, "--help")
	if h.code != 0 || !strings.Contains(h.stdout, "-require-complete") || !strings.Contains(h.stdout, "-enswitch-version") || h.stderr != "" {
		t.Errorf("--help: exit %d, stdout %.200q, stderr %q", h.code, h.stdout, h.stderr)
	}
	v := runEnv(t, nil, 20*time.Second, "--version")
	if v.code != 0 || !regexp.MustCompile(`^enswitch-conformance \S+ \(revision [^;]+; go1\.[0-9.]+\S*\)\n$`).MatchString(v.stdout) {
		t.Errorf("--version: exit %d, stdout %q", v.code, v.stdout)
	}
}

func lastLine(out string) string {
	out = strings.TrimRight(out, "\n")
	return out[strings.LastIndex(out, "\n")+1:]
}

// TestJUnitCountsAgree: the JUnit report of a failing run holds one case
// per selected spec and no other node, its counts agree with its cases and
// with each other, and no colour code is in it.
func TestJUnitCountsAgree(t *testing.T) {
	broken := answerWith(mustMock(t, "4.4"), "phones/create", func(_ wire.Values, resp, _ map[string]any) {
		if resp["code"] == "204" {
			resp["code"] = "200"
		}
	})
	path := filepath.Join(t.TempDir(), "junit.xml")
	profilePath := mustProfile(t, "  wholesale:  {username: whole,  password: whole-secret}\n", "")
	r := run(t, broken, "4.4", profilePath, "--label-filter", "codes || round-trip", "--junit-report", path)
	if r.code != 1 {
		t.Fatalf("exit %d; want 1\n%s", r.code, r.tail())
	}
	data := mustRead(t, path)
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Disabled int `xml:"disabled,attr"`
		Errors   int `xml:"errors,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Tests    int `xml:"tests,attr"`
			Disabled int `xml:"disabled,attr"`
			Skipped  int `xml:"skipped,attr"`
			Errors   int `xml:"errors,attr"`
			Failures int `xml:"failures,attr"`
			Cases    []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
				Error   *struct{} `xml:"error"`
				Skipped *struct{} `xml:"skipped"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(data), &doc); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(data, "\x1b[") {
		t.Errorf("the report holds colour codes")
	}
	if len(doc.Suites) != 1 {
		t.Fatalf("%d test suites; want 1", len(doc.Suites))
	}
	s := doc.Suites[0]
	var failures, errors, skipped int
	for _, c := range s.Cases {
		if strings.Contains(c.Name, "[It]") {
			t.Errorf("test case %q carries Ginkgo's node type", c.Name)
		}
		if strings.Contains(c.Name, "under fuzzing") {
			t.Errorf("test case %q: the label filter left it out, so it is no case", c.Name)
		}
		switch {
		case c.Failure != nil:
			failures++
		case c.Error != nil:
			errors++
		case c.Skipped != nil:
			skipped++
		}
	}
	if failures == 0 || skipped == 0 {
		t.Errorf("%d failures, %d skipped; the run should have both", failures, skipped)
	}
	if s.Tests != len(s.Cases) || s.Failures != failures || s.Errors != errors || s.Skipped+s.Disabled != skipped {
		t.Errorf("testsuite counts tests=%d failures=%d errors=%d skipped=%d disabled=%d; the cases hold %d, %d, %d, %d skipped",
			s.Tests, s.Failures, s.Errors, s.Skipped, s.Disabled, len(s.Cases), failures, errors, skipped)
	}
	if doc.Tests != s.Tests || doc.Failures != s.Failures || doc.Errors != s.Errors || doc.Disabled != s.Disabled {
		t.Errorf("testsuites counts tests=%d failures=%d errors=%d disabled=%d disagree with the testsuite's %d, %d, %d, %d",
			doc.Tests, doc.Failures, doc.Errors, doc.Disabled, s.Tests, s.Failures, s.Errors, s.Disabled)
	}
}
