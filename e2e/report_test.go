package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/answertest"
	"github.com/enswitch-kit/phones/internal/htmltest"
)

// hostileText is what a hostile target answers in every message: on the
// report page it must stay text.
const hostileText = `<script>document.title='owned'</script>"><img src=x onerror="alert(1)">`

// acceptsAcr7 is a server that accepts any integer acr, and answers every
// create with hostileText as its message, as raw as JSON allows.
func acceptsAcr7(mock http.Handler) http.Handler {
	lenient := paramsWith(mock, "phones/create", func(name, value string) (string, bool) {
		return "0", name == "acr" && regexp.MustCompile(`^-?[0-9]+$`).MatchString(value) && value != "0" && value != "1"
	})
	var msg bytes.Buffer
	enc := json.NewEncoder(&msg)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(hostileText)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := answertest.Record(lenient, r)
		if function(r) == "phones/create" {
			rec.Body = regexp.MustCompile(`"message":"[^"]*"`).ReplaceAll(rec.Body, []byte(`"message":`+strings.TrimSpace(msg.String())))
		}
		rec.Send(w)
	})
}

// hostileShown are the parts of hostileText that the exchange shows as
// they were sent (JSON escapes only the quotes).
var hostileShown = []string{"<script>document.title='owned'</script>", "<img src=x onerror="}

// reportRun runs the suite against h with every report, and returns their
// paths in dir.
func reportRun(t *testing.T, h http.Handler, version, filter string) (dir string, r result) {
	t.Helper()
	dir = t.TempDir()
	r = run(t, h, version, mustProfile(t), "--label-filter", filter, "--fuzz-cases", "40", "--seed", "7",
		"--html-report", filepath.Join(dir, "report.html"), "--json-report", filepath.Join(dir, "report.json"),
		"--junit-report", filepath.Join(dir, "junit.xml"))
	return dir, r
}

var (
	parseHTML = htmltest.MustParse
	elements  = htmltest.Find
	attrOf    = htmltest.Attr
	textOf    = htmltest.Text
)

// checkPage checks what a person reads on a report page (as parsed here,
// or as Chromium built it): the verdict, a row per parameter of the
// version, and, when failedParam is set, that parameter's refused-values
// cell failed with its rule and want/got. Hostile text never becomes
// markup.
func checkPage(t *testing.T, doc *html.Node, version, verdict, failedParam string) {
	t.Helper()
	banners := elements(doc, func(n *html.Node) bool { return attrOf(n, "data-verdict") != "" })
	if len(banners) != 1 || attrOf(banners[0], "data-verdict") != verdict || !strings.HasPrefix(strings.TrimSpace(textOf(banners[0])), verdict) {
		t.Errorf("verdict banners = %d; want one reading %s", len(banners), verdict)
	}
	c, err := contract.Load()
	if err != nil {
		t.Fatal(err)
	}
	view, err := c.At(mustVersion(t, version))
	if err != nil {
		t.Fatal(err)
	}
	rows := elements(doc, func(n *html.Node) bool { return n.Data == "tr" && attrOf(n, "data-param") != "" })
	if len(rows) != len(view.Params()) {
		t.Errorf("matrix rows = %d; want one per parameter of %s (%d)", len(rows), version, len(view.Params()))
	}
	if scripts := elements(doc, func(n *html.Node) bool { return n.Data == "script" || n.Data == "img" }); len(scripts) > 0 {
		t.Errorf("the page has %d <script>/<img> elements: a target's text became markup", len(scripts))
	}
	if failedParam == "" {
		return
	}
	cells := elements(doc, func(n *html.Node) bool {
		return n.Data == "td" && attrOf(n, "data-check") == "refused" && attrOf(n, "data-state") == "failed"
	})
	if len(cells) != 1 {
		t.Fatalf("failed refused-values cells = %d; want 1 (%s)", len(cells), failedParam)
	}
	row := cells[0].Parent
	if got := attrOf(row, "data-param"); got != failedParam {
		t.Errorf("the failed cell is in row %q; want %q", got, failedParam)
	}
	detail := textOf(cells[0])
	for _, want := range append([]string{"vendor page: acr accepts one of 0, 1", `want code 400 with key "acr"; got code 201`}, hostileShown...) {
		if !strings.Contains(detail, want) {
			t.Errorf("the failed cell lacks %q:\n%s", want, detail)
		}
	}
}

// TestHTMLReportOfABrokenServer: the page shows the broken rule in the
// failed parameter's cell, with want/got and the exchange, and a hostile
// target's text stays text; JSON and JUnit carry the same provenance.
func TestHTMLReportOfABrokenServer(t *testing.T) {
	dir, r := reportRun(t, acceptsAcr7(mustMock(t, "4.4")), "4.4", "validation && param:acr")
	if r.code == 0 {
		t.Fatalf("exit 0 against a server that accepts acr=7\n%s", r.tail())
	}
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	checkPage(t, parseHTML(t, page), "4.4", "FAIL", "acr")

	var doc struct {
		Provenance map[string]any `json:"provenance"`
		Verdict    string         `json:"verdict"`
		Matrix     []struct {
			Param string                    `json:"param"`
			Cells map[string]map[string]any `json:"cells"`
		} `json:"matrix"`
		Specs []struct {
			State string `json:"state"`
			Rule  string `json:"rule"`
			Want  string `json:"want"`
			Got   string `json:"got"`
		} `json:"specs"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil || json.Unmarshal(data, &doc) != nil {
		t.Fatalf("JSON report: %v\n%.300s", err, data)
	}
	if doc.Verdict != "FAIL" || doc.Provenance["target_version"] != "4.4" || len(doc.Provenance["contract_sha256"].(string)) != 64 {
		t.Errorf("JSON report: verdict %s, provenance %v; want FAIL on 4.4 with the contract's sha256", doc.Verdict, doc.Provenance)
	}
	for _, row := range doc.Matrix {
		if row.Param == "acr" && row.Cells["refused"]["state"] != "failed" {
			t.Errorf("JSON matrix acr/refused = %v; want failed", row.Cells["refused"])
		}
	}
	wantGot := 0
	for _, s := range doc.Specs {
		if s.State == "failed" && strings.HasPrefix(s.Rule, "vendor page: acr accepts") {
			wantGot++
			if s.Want != `code 400 with key "acr"` || s.Got != `code 201 with key ""` {
				t.Errorf("JSON spec %q: want %q, got %q; want the matcher's want and got", s.Rule, s.Want, s.Got)
			}
		}
	}
	if wantGot == 0 {
		t.Errorf("JSON report: no failed spec of acr's rule")
	}

	props := mustJUnitProperties(t, filepath.Join(dir, "junit.xml"))
	if props["verdict"] != "FAIL" || props["target.enswitch_version"] != "4.4" || props["contract.sha256"] != doc.Provenance["contract_sha256"] {
		t.Errorf("JUnit properties %v; want the JSON report's verdict, version and contract digest", props)
	}
}

// chromium is Debian's Chromium, which make test installs. A plain go test
// without it skips the browser checks; with ENSWITCH_REQUIRE_BROWSER=1 (as
// make test sets) its absence fails.
func chromium(t *testing.T) string {
	t.Helper()
	path := os.Getenv("ENSWITCH_CHROMIUM")
	if path == "" {
		path, _ = exec.LookPath("chromium")
	}
	if path == "" {
		if os.Getenv("ENSWITCH_REQUIRE_BROWSER") == "1" {
			t.Fatal("no chromium on PATH and ENSWITCH_REQUIRE_BROWSER=1: make test installs Debian's chromium")
		}
		t.Skip("no chromium on PATH: make test installs Debian's chromium and runs this test")
	}
	return path
}

// screenshot keeps page as the PNG the environment variable env names,
// when it names one.
func screenshot(t *testing.T, browser, page, env string) {
	t.Helper()
	if shot := os.Getenv(env); shot != "" {
		abs, err := filepath.Abs(shot)
		if err != nil {
			t.Fatal(err)
		}
		inChromium(t, browser, page, "--screenshot="+abs, "--window-size=1200,1400", "--hide-scrollbars")
	}
}

// inChromium runs headless Chromium on page with extra flags and returns
// what it printed on stdout.
func inChromium(t *testing.T, browser, page string, flags ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir()}, flags...)
	cmd := exec.CommandContext(ctx, browser, append(args, "file://"+page)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", page, err, stderr.Bytes())
	}
	return stdout.Bytes()
}

// TestReportInChromium: the pages of a passing run and of a broken server,
// as Chromium builds them (no JavaScript needed to read the verdict).
// ENSWITCH_REPORT_SCREENSHOT names a PNG to keep of the passing page (make
// report-picture writes docs/report.png with it).
func TestReportInChromium(t *testing.T) {
	browser := chromium(t)
	t.Run("passing run", func(t *testing.T) {
		dir, r := reportRun(t, mustMock(t, "4.4"), "4.4", "")
		if r.code != 0 {
			t.Fatalf("exit %d against the mock\n%s", r.code, r.tail())
		}
		page := filepath.Join(dir, "report.html")
		checkPage(t, parseHTML(t, inChromium(t, browser, page, "--dump-dom")), "4.4", "PASS", "")
		screenshot(t, browser, page, "ENSWITCH_REPORT_SCREENSHOT")
	})
	t.Run("broken server", func(t *testing.T) {
		dir, _ := reportRun(t, acceptsAcr7(mustMock(t, "4.4")), "4.4", "validation && param:acr")
		dom := inChromium(t, browser, filepath.Join(dir, "report.html"), "--dump-dom")
		checkPage(t, parseHTML(t, dom), "4.4", "FAIL", "acr")
		if bytes.Contains(dom, []byte("<title>owned")) {
			t.Error("a target's script ran in Chromium")
		}
	})
}

// mustJUnitProperties reads the properties of the one test suite in the
// JUnit report at path.
func mustJUnitProperties(tb testing.TB, path string) map[string]string {
	tb.Helper()
	var suites struct {
		Suites []struct {
			Properties []struct {
				Name  string `xml:"name,attr"`
				Value string `xml:"value,attr"`
			} `xml:"properties>property"`
		} `xml:"testsuite"`
	}
	data := mustRead(tb, path)
	if err := xml.Unmarshal([]byte(data), &suites); err != nil || len(suites.Suites) != 1 {
		tb.Fatalf("JUnit report %s: %v, %d suites; want one\n%.300s", path, err, len(suites.Suites), data)
	}
	props := map[string]string{}
	for _, p := range suites.Suites[0].Properties {
		props[p.Name] = p.Value
	}
	return props
}
