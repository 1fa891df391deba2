package report_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/enswitch-kit/phones/conformance/report"
	"github.com/enswitch-kit/phones/internal/htmltest"
)

// hostile is text a hostile target may answer with: it must stay text.
const hostile = `<script>alert(1)</script>" onmouseover="alert(2)`

func sample(version string) *report.Report {
	r := &report.Report{
		Provenance: report.Provenance{
			BaseURL: "http://127.0.0.1:8080", TargetVersion: version,
			Tool: "enswitch-conformance", ToolVersion: "v1.2.3", ToolRevision: "abc123",
			ContractSHA256: strings.Repeat("ab", 32), Seed: 42,
			Replay:  "enswitch-conformance --profile p.yaml --seed 42",
			Profile: "accounts:\n  admin: {username: user, password: '***'}\n",
			Started: time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC), Seconds: 1.5,
		},
		Verdict: report.Fail,
		Specs: []report.Spec{
			{Text: "acr left out → reads back 0", Check: report.CheckDefault, Params: []string{"acr"}, State: report.Passed},
			{Text: "acr=7 → 400 key=acr", Check: report.CheckRefused, Params: []string{"acr"}, State: report.Failed,
				Rule: "vendor page: acr is 0 or 1", Detail: "want 400 key=acr\ngot 204 message=" + hostile},
			{Text: "cos left out", Check: report.CheckDefault, Params: []string{"cos"}, State: report.Skipped,
				Rule: "target-profile.md: set existing.other_customer"},
			{Text: "get of another customer's line → 404", Check: report.CheckSettled, State: report.Passed},
			{Text: "key " + hostile, Check: report.CheckCodes, State: report.Failed, Rule: hostile},
		},
		Lines: report.Lines{Max: 200, Booked: 3, Created: 2, Deleted: 1, Left: []report.Left{{Name: "97123", Why: "cleanup: none"}}},
	}
	r.Build([]string{"acr", "cos", "name"})
	return r
}

func TestBuildSumsCells(t *testing.T) {
	r := sample("4.4")
	if got := r.Counts; got != (report.Counts{Passed: 2, Failed: 2, Skipped: 1}) {
		t.Errorf("counts = %+v; want 2 passed, 2 failed, 1 skipped", got)
	}
	cells := map[string]map[string]report.Cell{}
	for _, row := range r.Matrix {
		cells[row.Param] = row.Cells
	}
	for _, c := range []struct{ param, check, want string }{
		{"acr", report.CheckDefault, report.Passed},
		{"acr", report.CheckRefused, report.Failed},
		{"cos", report.CheckDefault, report.Skipped},
		{"name", report.CheckDefault, report.None},
	} {
		if got := cells[c.param][c.check].State; got != c.want {
			t.Errorf("cell %s/%s = %q; want %q", c.param, c.check, got, c.want)
		}
	}
	if len(r.Skips) != 1 || r.Skips[0].Count != 1 || !strings.Contains(r.Skips[0].Reason, "other_customer") {
		t.Errorf("skips = %+v; want one group naming the profile field", r.Skips)
	}
}

// render writes reports as HTML and parses the page as a browser would.
func render(t *testing.T, reports ...*report.Report) (*html.Node, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := report.WriteHTML(&buf, reports...); err != nil {
		t.Fatal(err)
	}
	return htmltest.MustParse(t, buf.Bytes()), buf.String()
}

// renderMerged writes m as HTML and parses the page.
func renderMerged(t *testing.T, m *report.Merged) (*html.Node, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := report.WriteMerged(&buf, m); err != nil {
		t.Fatal(err)
	}
	return htmltest.MustParse(t, buf.Bytes()), buf.String()
}

var (
	find = htmltest.Find
	attr = htmltest.Attr
	text = htmltest.Text
)

func TestHTMLShowsVerdictProvenanceAndMatrix(t *testing.T) {
	doc, page := render(t, sample("4.4"))
	verdict := find(doc, func(n *html.Node) bool { return attr(n, "data-verdict") != "" })
	if len(verdict) != 1 || attr(verdict[0], "data-verdict") != report.Fail || !strings.HasPrefix(text(verdict[0]), "FAIL") {
		t.Fatalf("verdict banner = %d elements; want one reading FAIL", len(verdict))
	}
	rows := find(doc, func(n *html.Node) bool { return n.Data == "tr" && attr(n, "data-param") != "" })
	if len(rows) != 3 {
		t.Errorf("matrix rows = %d; want one per parameter (3)", len(rows))
	}
	for _, want := range []string{"http://127.0.0.1:8080", "v1.2.3", "abc123", strings.Repeat("ab", 32), "--seed 42", "2026-11-29 12:00:00 UTC", "1.5s", "password: &#39;***&#39;", "97123"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestHTMLFailedCellOpensToWantAndGot(t *testing.T) {
	doc, _ := render(t, sample("4.4"))
	cells := find(doc, func(n *html.Node) bool {
		return n.Data == "td" && attr(n, "data-check") == report.CheckRefused && attr(n, "data-state") == report.Failed
	})
	if len(cells) != 1 {
		t.Fatalf("failed refused-values cells = %d; want 1 (acr)", len(cells))
	}
	got := text(cells[0])
	for _, want := range []string{"vendor page: acr is 0 or 1", "want 400 key=acr", "got 204"} {
		if !strings.Contains(got, want) {
			t.Errorf("failed cell %q lacks %q", got, want)
		}
	}
	if len(find(cells[0], func(n *html.Node) bool { return n.Data == "details" })) != 1 {
		t.Error("the failed cell's detail is not in a <details> element")
	}
}

func TestHTMLKeepsHostileTextAsText(t *testing.T) {
	doc, _ := render(t, sample("4.4"))
	if scripts := find(doc, func(n *html.Node) bool { return n.Data == "script" }); len(scripts) != 0 {
		t.Fatalf("page has %d <script> elements; want none", len(scripts))
	}
	if injected := find(doc, func(n *html.Node) bool { return attr(n, "onmouseover") != "" }); len(injected) != 0 {
		t.Fatal("a target's text added an onmouseover attribute")
	}
	if !strings.Contains(text(doc), hostile) {
		t.Error("the hostile text is not shown as text")
	}
}

func TestHTMLIsSelfContained(t *testing.T) {
	doc, _ := render(t, sample("4.4"))
	for _, n := range find(doc, func(*html.Node) bool { return true }) {
		for _, key := range []string{"src", "href"} {
			if v := attr(n, key); v != "" && !strings.HasPrefix(v, "#") {
				t.Errorf("<%s %s=%q> loads something from elsewhere", n.Data, key, v)
			}
		}
		if n.Data == "link" || n.Data == "script" || n.Data == "iframe" {
			t.Errorf("page has a <%s> element", n.Data)
		}
	}
}

func TestMergeOrdersVersionsAndRefusesTwins(t *testing.T) {
	old := sample("3.13")
	old.Matrix = old.Matrix[:2] // a parameter the old version lacks
	merged, err := report.Merge([]*report.Report{sample("4.4"), old, sample("4.0")}, false)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, r := range merged.Columns {
		order = append(order, r.Provenance.TargetVersion)
	}
	if got := strings.Join(order, " "); got != "3.13 4.0 4.4" {
		t.Errorf("merged order = %s; want 3.13 4.0 4.4", got)
	}
	doc, _ := renderMerged(t, merged)
	absent := find(doc, func(n *html.Node) bool { return attr(n, "data-state") == "absent" })
	if len(absent) != len(report.Columns) {
		t.Errorf("absent cells = %d; want one per column for name on 3.13 (%d)", len(absent), len(report.Columns))
	}
	if _, err := report.Merge([]*report.Report{sample("4.4"), sample("4.4")}, false); err == nil {
		t.Error("Merge accepted one run twice")
	}
}

func TestJSONRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.json")
	if err := report.WriteJSON(path, sample("4.0")); err != nil {
		t.Fatal(err)
	}
	r, err := report.ReadJSON(path)
	if err != nil {
		t.Fatal(err)
	}
	if r.Provenance.TargetVersion != "4.0" || len(r.Matrix) != 3 || r.Verdict != report.Fail {
		t.Errorf("read back %+v; want version 4.0, 3 rows, FAIL", r.Provenance)
	}
	if _, err := report.ReadJSON("report_test.go"); err == nil {
		t.Error("ReadJSON accepted a Go file")
	}
}
