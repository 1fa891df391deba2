package report_test

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/enswitch-kit/phones/conformance/outcome"
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
		Specs: []outcome.Check{
			{Text: "acr left out → reads back 0", Kind: report.CheckDefault, Params: []string{"acr"}, State: outcome.Passed},
			{Text: "acr=7 → 400 key=acr", Kind: report.CheckRefused, Params: []string{"acr"}, State: outcome.Failed,
				Rule: "vendor page: acr is 0 or 1", Detail: "want 400 key=acr\ngot 204 message=" + hostile},
			{Text: "cos left out", Kind: report.CheckDefault, Params: []string{"cos"}, State: outcome.Skipped,
				Rule: "target-profile.md: set existing.other_customer"},
			{Text: "get of another customer's line → 404", Kind: report.CheckSettled, State: outcome.Passed},
			{Text: "key " + hostile, Kind: report.CheckCodes, State: outcome.Failed, Rule: hostile},
		},
		Lines: outcome.Lines{Max: 200, Booked: 3, Created: 2, Deleted: 1, Left: []outcome.Left{{Name: "97123", Why: "cleanup: none"}}},
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
	for _, c := range []struct {
		param, check string
		want         outcome.State
	}{
		{"acr", report.CheckDefault, outcome.Passed},
		{"acr", report.CheckRefused, outcome.Failed},
		{"cos", report.CheckDefault, outcome.Skipped},
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
	if len(verdict) != 1 || attr(verdict[0], "data-verdict") != string(report.Fail) || !strings.HasPrefix(text(verdict[0]), "FAIL") {
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
		return n.Data == "td" && attr(n, "data-check") == report.CheckRefused && attr(n, "data-state") == string(outcome.Failed)
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

// TestEveryReportCountsWhatGotNoAnswer: the requests that got no answer,
// a check's and a phase's cases', and what --retries sent again reach
// the JSON, the JUnit properties and the page, per function.
func TestEveryReportCountsWhatGotNoAnswer(t *testing.T) {
	run := outcome.Run{
		Suite: "phones/create conformance",
		Checks: []outcome.Check{
			{Text: "acr=7 → 400 key=acr", Kind: report.CheckRefused, Params: []string{"acr"}, State: outcome.Passed},
			{Text: "acr=9 → 400 key=acr", Kind: report.CheckRefused, Params: []string{"acr"}, State: outcome.Error, Rule: "no answer",
				Unanswered: &outcome.Unanswered{Function: "phones/create", Kind: "reset", Count: 1}},
			{Text: "fuzz", Kind: report.CheckFuzz, State: outcome.Passed},
		},
		Phases: []outcome.Phase{{Name: "fuzz", What: "valid combinations", Cases: 40, Requests: 44, Seconds: 1, Retried: 3,
			Unanswered: []outcome.Unanswered{{Function: "phones/get", Kind: "timeout", Count: 2}}}},
		Retries: outcome.Retries{Max: 2, Sent: 5, Answered: 4},
	}
	r := report.New(sample("4.4").Provenance, run, outcome.Judge(run), []string{"acr"})
	if r.Verdict != report.Inconclusive {
		t.Errorf("verdict %s; want INCONCLUSIVE", r.Verdict)
	}
	path := filepath.Join(t.TempDir(), "report.json")
	if err := report.WriteJSON(path, r); err != nil {
		t.Fatal(err)
	}
	back, err := report.ReadJSON(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []outcome.Unanswered{{Function: "phones/get", Kind: "timeout", Count: 2}, {Function: "phones/create", Kind: "reset", Count: 1}}
	if !slices.Equal(back.Unanswered, want) || back.Retries == nil || *back.Retries != run.Retries ||
		len(back.Phases) != 1 || back.Phases[0].Retried != 3 || back.Phases[0].Name != "fuzz" {
		t.Errorf("JSON read back: unanswered %+v, retries %+v, phases %+v; want %+v, the retries and the phase", back.Unanswered, back.Retries, back.Phases, want)
	}
	var buf bytes.Buffer
	if err := report.WriteJUnit(&buf, r, run); err != nil {
		t.Fatal(err)
	}
	for _, prop := range []string{`name="unanswered.phones/get" value="2 requests got no answer (timeout 2)"`,
		`name="unanswered.phones/create" value="1 request got no answer (reset 1)"`,
		`name="retries" value="5 requests sent again, 4 of them then answered (--retries 2)"`,
		`name="fuzz" value="valid combinations: 40 cases (0 with a real create), 0 failed, 2 got no answer (timeout 2), 44 requests`} {
		if !strings.Contains(buf.String(), prop) {
			t.Errorf("JUnit lacks %s:\n%s", prop, buf.String())
		}
	}
	page, _ := render(t, r)
	calls := find(page, func(n *html.Node) bool { return n.Data == "li" && attr(n, "data-function") != "" })
	if len(calls) != 2 || attr(calls[0], "data-function") != "phones/get" || attr(calls[0], "data-count") != "2" {
		t.Errorf("%d functions listed as unanswered on the page; want phones/get (2), then phones/create", len(calls))
	}
	phase := find(page, func(n *html.Node) bool { return n.Data == "table" && attr(n, "data-phase") == "fuzz" })
	if len(phase) != 1 || !strings.Contains(text(phase[0]), "2 got no answer (timeout 2), neither passed nor failed; 3 sent again") {
		t.Errorf("the page's fuzz table does not count its cases that got no answer")
	}
}
