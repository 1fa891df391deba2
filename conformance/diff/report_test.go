package diff_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/enswitch-kit/phones/conformance/diff"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/htmltest"
)

// hostile reads back field as text meant to break a report: markup, a
// script, and the run's own mask.
func hostile(next http.Handler, field string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if function(r) != "phones/get" {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var env map[string]any
		body := rec.Body.Bytes()
		if json.Unmarshal(body, &env) == nil {
			if data, ok := env["data"].(map[string]any); ok {
				data[field] = `</pre><script>alert("x")</script><!-- ]]>`
				var buf bytes.Buffer
				enc := json.NewEncoder(&buf)
				enc.SetEscapeHTML(false) // the markup as a careless server sends it
				_ = enc.Encode(env)
				body = buf.Bytes()
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
}

// TestReportsEscapeWhatTheTargetSent: a target's text reaches the HTML
// page escaped and the JUnit report as well-formed XML, with a failed
// case per unexplained difference.
func TestReportsEscapeWhatTheTargetSent(t *testing.T) {
	a, b := mustMock(t, "4.4"), mustServe(t, hostile(mustMockHandler(t, "4.4"), "description"))
	res := mustRun(t, diff.Options{A: mustProfile(t, a.URL, "4.4"), B: mustProfile(t, b.URL, "4.4")})
	if res.Count(diff.Unexplained) == 0 {
		t.Fatal("no unexplained difference; want description's")
	}
	dir := t.TempDir()
	htmlPath, junitPath, jsonPath := filepath.Join(dir, "d.html"), filepath.Join(dir, "d.xml"), filepath.Join(dir, "d.json")
	for _, err := range []error{res.WriteHTML(htmlPath), res.WriteJUnit(junitPath), res.WriteJSON(jsonPath)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	page := mustRead(t, htmlPath)
	if strings.Contains(page, "<script>") || !strings.Contains(page, "&lt;script&gt;") {
		t.Errorf("the HTML page does not escape the target's text")
	}
	doc := htmltest.MustParse(t, []byte(page))
	if n := len(htmltest.Find(doc, func(n *html.Node) bool { return n.Data == "script" })); n != 0 {
		t.Errorf("the page parses with %d script elements; want none", n)
	}
	groups := htmltest.Find(doc, func(n *html.Node) bool { return n.Data == "section" && htmltest.Attr(n, "data-group") != "" })
	total := 0
	for _, g := range groups {
		n, _ := strconv.Atoi(htmltest.Attr(g, "data-count"))
		total += n
		pres := htmltest.Find(g, func(n *html.Node) bool { return n.Data == "pre" && n.Parent.Data == "details" })
		if len(pres) != 2 || !strings.Contains(htmltest.Text(pres[0]), "A request: GET /api/json/phones/create/") ||
			!strings.Contains(htmltest.Text(pres[1]), "B read back:") || !strings.Contains(htmltest.Text(pres[1]), "alert(") {
			t.Errorf("a group folds %d exchanges; want A's and B's, requests, answers and read-backs, the target's text as text", len(pres))
			break
		}
	}
	if len(groups) == 0 || total != len(res.Differences) {
		t.Fatalf("%d groups holding %d differences; want every difference (%d) in one", len(groups), total, len(res.Differences))
	}
	var suites struct {
		Suites []struct {
			Failures int `xml:"failures,attr"`
			Cases    []struct {
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(mustRead(t, junitPath)), &suites); err != nil {
		t.Fatalf("JUnit report is not XML: %v", err)
	}
	failed := 0
	for _, c := range suites.Suites[0].Cases {
		if c.Failure != nil {
			failed++
		}
	}
	if want := res.Count(diff.Unexplained); failed != want || suites.Suites[0].Failures != want {
		t.Errorf("JUnit: %d failed cases, failures=%d; want %d, one per unexplained difference", failed, suites.Suites[0].Failures, want)
	}
	var rep struct {
		Counts map[string]int `json:"counts"`
	}
	if err := json.Unmarshal([]byte(mustRead(t, jsonPath)), &rep); err != nil || rep.Counts["unexplained"] != res.Count(diff.Unexplained) {
		t.Errorf("JSON counts %v (%v); want %d unexplained", rep.Counts, err, res.Count(diff.Unexplained))
	}
}

func mustRead(tb testing.TB, path string) string {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return string(data)
}

// TestReportsCarryProvenance: the JSON, JUnit and HTML reports of a run
// name the build that ran it, the contract it used and when it started,
// as a conformance report does: a release manager can tell which tool
// certified an upgrade.
func TestReportsCarryProvenance(t *testing.T) {
	a, b := mustMock(t, "4.3"), mustMock(t, "4.4")
	res := mustRun(t, diff.Options{A: mustProfile(t, a.URL, "4.3"), B: mustProfile(t, b.URL, "4.4"), FuzzCases: 2,
		ToolVersion: "v9.8.7", ToolRevision: "0123456789ab"})
	digest := contract.Digest()
	if p := res.Provenance; p.ToolVersion != "v9.8.7" || p.ToolRevision != "0123456789ab" || p.ContractSHA256 != digest ||
		p.Started.IsZero() || p.Seconds <= 0 {
		t.Fatalf("provenance %+v; want the build given, the contract's digest %s, a start and a duration", p, digest)
	}
	dir := t.TempDir()
	htmlPath, junitPath, jsonPath := filepath.Join(dir, "d.html"), filepath.Join(dir, "d.xml"), filepath.Join(dir, "d.json")
	for _, err := range []error{res.WriteHTML(htmlPath), res.WriteJUnit(junitPath), res.WriteJSON(jsonPath)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	var rep struct {
		Provenance struct {
			ToolVersion    string `json:"tool_version"`
			ToolRevision   string `json:"tool_revision"`
			ContractSHA256 string `json:"contract_sha256"`
		} `json:"provenance"`
	}
	if err := json.Unmarshal([]byte(mustRead(t, jsonPath)), &rep); err != nil || rep.Provenance.ToolVersion != "v9.8.7" ||
		rep.Provenance.ToolRevision != "0123456789ab" || rep.Provenance.ContractSHA256 != digest {
		t.Errorf("JSON provenance %+v (%v); want v9.8.7, 0123456789ab and %s", rep.Provenance, err, digest)
	}
	var suites struct {
		Suites []struct {
			Timestamp  string `xml:"timestamp,attr"`
			Properties []struct {
				Name  string `xml:"name,attr"`
				Value string `xml:"value,attr"`
			} `xml:"properties>property"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(mustRead(t, junitPath)), &suites); err != nil || len(suites.Suites) != 1 {
		t.Fatalf("JUnit report: %v, %d suites", err, len(suites.Suites))
	}
	props := map[string]string{}
	for _, p := range suites.Suites[0].Properties {
		props[p.Name] = p.Value
	}
	if props["tool.version"] != "v9.8.7" || props["tool.revision"] != "0123456789ab" || props["contract.sha256"] != digest ||
		props["b.enswitch_version"] != "4.4" || suites.Suites[0].Timestamp == "" {
		t.Errorf("JUnit properties %v, timestamp %q; want the build, the contract's digest and both targets", props, suites.Suites[0].Timestamp)
	}
	prov := htmltest.Find(htmltest.MustParse(t, []byte(mustRead(t, htmlPath))), func(n *html.Node) bool { return htmltest.Attr(n, "id") == "provenance" })
	if len(prov) != 1 {
		t.Fatalf("the page has %d provenance blocks; want one", len(prov))
	}
	if text := htmltest.Text(prov[0]); !strings.Contains(text, "v9.8.7 (0123456789ab)") || !strings.Contains(text, digest) {
		t.Errorf("the page's provenance reads %q; want the build and the contract's digest", text)
	}
}
