package e2e_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/conformance/diff"
	"github.com/enswitch-kit/phones/contract"
	recordfile "github.com/enswitch-kit/phones/internal/recording"
	"github.com/enswitch-kit/phones/mockserver/fault"
	"github.com/enswitch-kit/phones/proxy"
)

// The diff subcommand (docs/diff.md) against mocks and broken servers.

var theContract = contract.MustLoad()

// diffReport is the part of the JSON report the tests read.
type diffReport struct {
	Cases       int               `json:"cases"`
	Changes     []diff.Change     `json:"changes"`
	Differences []diff.Difference `json:"differences"`
	Counts      map[string]int    `json:"counts"`
}

// runDiff serves a and b, writes a profile for each (version va, vb) and
// runs enswitch-conformance diff with every report and the extra args.
func runDiff(tb testing.TB, a http.Handler, va string, b http.Handler, vb string, args ...string) (result, diffReport, string) {
	tb.Helper()
	sa, sb := httptest.NewServer(a), httptest.NewServer(b)
	defer sa.Close()
	defer sb.Close()
	return runDiffAt(tb, sa.URL, va, sb.URL, vb, args...)
}

func runDiffAt(tb testing.TB, urlA, va, urlB, vb string, args ...string) (result, diffReport, string) {
	tb.Helper()
	dir := tb.TempDir()
	pa := mustProfile(tb, "http://127.0.0.1:8080", urlA, `version: "4.4"`, `version: "`+va+`"`)
	pb := mustProfile(tb, "http://127.0.0.1:8080", urlB, `version: "4.4"`, `version: "`+vb+`"`)
	jsonPath, htmlPath, junitPath := filepath.Join(dir, "diff.json"), filepath.Join(dir, "diff.html"), filepath.Join(dir, "diff.xml")
	args = append([]string{"diff", "--profile", pa, "--profile", pb, "--seed", "7", "--fuzz-cases", "8",
		"--json-report", jsonPath, "--html-report", htmlPath, "--junit-report", junitPath}, args...)
	res := runEnv(tb, nil, 2*time.Minute, args...)
	var rep diffReport
	data, err := os.ReadFile(jsonPath)
	if err != nil {
		tb.Fatalf("no JSON report: %v\n%s", err, res.tail())
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		tb.Fatalf("JSON report: %v", err)
	}
	page, err := os.ReadFile(htmlPath)
	if err != nil {
		tb.Fatalf("no HTML report: %v\n%s", err, res.tail())
	}
	junit, err := os.ReadFile(junitPath)
	if err != nil {
		tb.Fatalf("no JUnit report: %v", err)
	}
	mustHoldNoSecret(tb, string(data)+string(page)+string(junit)+res.out)
	return res, rep, string(junit)
}

// lineSecret is the shape of the line passwords a diff makes up.
var lineSecret = regexp.MustCompile(`Df[0-9][0-9a-f]{17}`)

// mustHoldNoSecret fails when text holds a password of the profile
// (fixtures/profile.yaml) or a line password.
func mustHoldNoSecret(tb testing.TB, text string) {
	tb.Helper()
	for _, secret := range []string{"whole-secret", "clerk-secret", "noplan-secret", "password-not-the-password"} {
		if strings.Contains(text, secret) {
			tb.Errorf("a report or the output holds the secret %q", secret)
		}
	}
	if m := lineSecret.FindString(text); m != "" {
		tb.Errorf("a report or the output holds the line password %s", m)
	}
}

// TestDiffOfTwoVersionsIsExplained: the mock emulating 4.3 and the mock
// emulating 4.4 differ only as the change history between them says;
// each line of it is shown at least once, and the run exits 0.
func TestDiffOfTwoVersionsIsExplained(t *testing.T) {
	res, rep, _ := runDiff(t, mustMock(t, "4.3"), "4.3", mustMock(t, "4.4"), "4.4")
	if res.code != 0 {
		t.Fatalf("exit %d; want 0\n%s", res.code, res.tail())
	}
	if len(rep.Changes) != 3 {
		t.Errorf("%d history lines between 4.3 and 4.4; want 3 (allowed_ua, presentation_internal, matched_called): %+v", len(rep.Changes), rep.Changes)
	}
	for _, ch := range rep.Changes {
		n := 0
		for _, d := range rep.Differences {
			if d.Kind == diff.Explained && d.Change != nil && d.Change.Summary == ch.Summary {
				n++
			}
		}
		if n == 0 {
			t.Errorf("history line %q explains no difference; want at least one", ch.Summary)
		}
		if !strings.Contains(res.stdout, ch.Summary) {
			t.Errorf("the summary does not list %q", ch.Summary)
		}
	}
	if rep.Counts["unexplained"]+rep.Counts["missing"]+rep.Counts["noise"] != 0 || rep.Counts["explained"] == 0 {
		t.Errorf("counts %v; want explained differences only", rep.Counts)
	}
	if !strings.Contains(res.stdout, "callerid_external accepts matched_called from 4.4") {
		t.Errorf("the summary does not cite matched_called's change:\n%s", res.tail())
	}
}

// TestDiffNamesAnUndocumentedDifference: a server whose default for aoc is
// wrong differs from the mock in aoc alone, unexplained: exit 1, and the
// parameter is named on the terminal and in the JUnit report.
func TestDiffNamesAnUndocumentedDifference(t *testing.T) {
	res, rep, junit := runDiff(t, mustMock(t, "4.4"), "4.4", wrongDefault(mustMock(t, "4.4"), "aoc", "1"), "4.4")
	if res.code != 1 {
		t.Fatalf("exit %d; want 1\n%s", res.code, res.tail())
	}
	if rep.Counts["unexplained"] == 0 {
		t.Fatalf("counts %v; want unexplained differences", rep.Counts)
	}
	for _, d := range rep.Differences {
		if d.Kind != diff.Unexplained || d.Param != "aoc" {
			t.Errorf("%s: %s %s; want only aoc, unexplained", d.Case, d.Kind, d.Param)
		}
	}
	if !strings.Contains(res.stdout, "UNEXPLAINED: defaults: a bare create, read back: field aoc: A 0 (JSON number), B 1 (JSON number)") {
		t.Errorf("the summary does not name aoc's difference:\n%s", res.tail())
	}
	if !strings.Contains(junit, `<failure message="unexplained: defaults: a bare create, read back: field aoc`) {
		t.Errorf("JUnit has no failed case for aoc:\n%.2000s", junit)
	}
}

// wrongDefault stores value for name when a create does not send name.
func wrongDefault(next http.Handler, name, value string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, sent := paramsOf(r)[name]; function(r) == "phones/create" && !sent {
			r.URL.RawQuery += "&" + name + "=" + value
		}
		next.ServeHTTP(w, r)
	})
}

// TestDiffOfOneMockWithLatencyIsEmpty: one mock, slowed down by the
// fault injector's latency, compared with itself: no difference at all,
// noise included.
func TestDiffOfOneMockWithLatencyIsEmpty(t *testing.T) {
	slow := fault.New(mustMock(t, "4.4"), fault.Config{Seed: 3, Delays: []fault.Delay{{Dist: fault.Uniform, Lower: 0, Upper: 2 * time.Millisecond}}}, slog.New(slog.DiscardHandler))
	srv := httptest.NewServer(slow)
	defer srv.Close()
	res, rep, _ := runDiffAt(t, srv.URL, "4.4", srv.URL, "4.4", "--noise", "1")
	if res.code != 0 || len(rep.Differences) != 0 || len(rep.Changes) != 0 || rep.Cases < 100 {
		t.Fatalf("exit %d, %d cases, differences %+v, changes %+v; want exit 0 over 100 cases with none\n%s", res.code, rep.Cases, rep.Differences, rep.Changes, res.tail())
	}
}

// TestDiffReplaysARecordedSession: a client's session recorded by the
// proxy (--record) in front of 4.3 keeps presentation_internal=0, which
// 4.3 does not know, and replays against the mocks of 4.3 and 4.4: each
// side with its own names, the read-back difference explained by the
// history.
func TestDiffReplaysARecordedSession(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.jsonl")
	recordSession(t, path, "4.3", []string{
		"GET /api/json/phones/create/?auth_username=user;auth_password=password;name=5550001;password=Client-Secret-1;description=front%20desk;presentation_internal=0",
		"POST /api/json/phones/get/ auth_username=user&auth_password=password&name=5550001",
		"GET /api/json/phones/create/?auth_username=user;auth_password=password;name=5550001;password=Client-Secret-2",
		"GET /api/json/phones/create/?auth_username=user;auth_password=password;name=5550002;password=Client-Secret-3;callerid_external=matched_called;validation=1",
		"GET /api/json/phones/delete/?auth_username=user;auth_password=password;name=5550001",
		"GET /api/json/phones/get/?auth_username=user;auth_password=password;name=5550001",
	})
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "Client-Secret") {
		t.Fatalf("the recording holds a line password:\n%s", data)
	}
	if !strings.Contains(string(data), `{"name":"presentation_internal","value":"0"}`) {
		t.Fatalf("the recording lost presentation_internal=0:\n%s", data)
	}
	res, rep, _ := runDiff(t, mustMock(t, "4.3"), "4.3", mustMock(t, "4.4"), "4.4", "--requests", path)
	if res.code != 0 || rep.Cases != 6 {
		t.Fatalf("exit %d, %d cases; want 0 and the 6 recorded requests\n%s", res.code, rep.Cases, res.tail())
	}
	want := map[string]string{ // case → the parameter whose change explains it
		"replay 1: phones/create": "presentation_internal", // read back after its 204
		"replay 2: phones/get":    "presentation_internal",
		"replay 4: phones/create": "callerid_external",
	}
	for _, d := range rep.Differences {
		if d.Kind != diff.Explained || want[d.Case] != d.Param {
			t.Errorf("%s: %s %s %s: A=%s B=%s; want only %v, explained", d.Case, d.Kind, d.Aspect, d.Param, d.A, d.B, want)
		}
		delete(want, d.Case)
	}
	if len(want) > 0 {
		t.Errorf("no difference for %v", want)
	}
	if strings.Contains(res.out, "5550001") {
		t.Errorf("the recorded name was sent or printed; want each side's fresh name:\n%s", res.tail())
	}
}

// recordSession sends each request ("METHOD path?query [body]") through a
// recording proxy in front of a mock of version, as a client would.
func recordSession(tb testing.TB, path, version string, requests []string) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	upstream := httptest.NewServer(mustMock(tb, version))
	defer upstream.Close()
	u, _ := url.Parse(upstream.URL)
	view, err := theContract.At(mustVersion(tb, version))
	if err != nil {
		tb.Fatal(err)
	}
	w := recordfile.NewWriter(f)
	p, err := proxy.New(proxy.Options{Upstream: u, View: view, Latest: theContract.Latest(), Record: w})
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(p)
	defer srv.Close()
	for _, line := range requests {
		method, rest, _ := strings.Cut(line, " ")
		target, body, _ := strings.Cut(rest, " ")
		req, err := http.NewRequest(method, srv.URL+target, strings.NewReader(body))
		if err != nil {
			tb.Fatal(err)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			tb.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if err := w.Err(); err != nil {
		tb.Fatal(err)
	}
}
