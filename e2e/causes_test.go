package e2e_test

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/enswitch-kit/phones/mockserver/fault"
)

// refusing402 is the mock of version 4.4 refusing 30 % of creates with
// 402, as enswitch-mock --fault code=402:0.3@phones/create --fault-seed 1
// does (docs/faults.md).
func refusing402(t *testing.T) http.Handler {
	t.Helper()
	f, err := fault.ParseFault("code=402:0.3@phones/create")
	if err != nil {
		t.Fatal(err)
	}
	cfg := fault.Config{Seed: 1, Faults: []fault.Fault{f}}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return fault.New(mustMock(t, "4.4"), cfg, nil)
}

// jsonReport is what these tests read of a JSON report.
type jsonReport struct {
	Specs []struct {
		Text   string   `json:"text"`
		Check  string   `json:"check"`
		Params []string `json:"params"`
		State  string   `json:"state"`
		Answer *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"answer"`
	} `json:"specs"`
	Causes []struct {
		Key    string   `json:"key"`
		Count  int      `json:"count"`
		Checks []string `json:"checks"`
	} `json:"causes"`
	Phases []struct {
		Findings []struct {
			Count  int `json:"count"`
			Answer *struct {
				Code string `json:"code"`
			} `json:"answer"`
		} `json:"findings"`
	} `json:"fuzz"`
}

func mustJSONReport(tb testing.TB, path string) jsonReport {
	tb.Helper()
	var doc jsonReport
	if err := json.Unmarshal([]byte(mustRead(tb, path)), &doc); err != nil {
		tb.Fatalf("JSON report %s: %v", path, err)
	}
	return doc
}

// causesRun runs the suite but fuzzing against h with every report, at
// seed; the reports are in dir.
func causesRun(t *testing.T, h http.Handler, seed int) (dir string, r result) {
	t.Helper()
	dir = t.TempDir()
	r = run(t, h, "4.4", mustProfile(t), "--label-filter", "!fuzz", "--seed", strconv.Itoa(seed),
		"--html-report", filepath.Join(dir, "report.html"), "--json-report", filepath.Join(dir, "report.json"),
		"--junit-report", filepath.Join(dir, "junit.xml"))
	return dir, r
}

// TestOneCauseHoldsEvery402: a server that refuses 30 % of creates with
// 402 fails checks of every kind; the terminal, the JSON report, the JUnit
// report and the HTML page (in Chromium too) show one cause holding every
// one of those failures, with the answer's message: the checks', and the
// model phase's sequences that got the 402.
func TestOneCauseHoldsEvery402(t *testing.T) {
	dir, r := causesRun(t, refusing402(t), 7)
	if r.code != 1 {
		t.Fatalf("exit %d against a server refusing creates; want 1\n%s", r.code, r.tail())
	}
	doc := mustJSONReport(t, filepath.Join(dir, "report.json"))
	var refused []string
	for _, s := range doc.Specs {
		if s.State == "failed" && s.Answer != nil && s.Answer.Code == "402" {
			refused = append(refused, s.Text)
		}
	}
	if len(refused) < 10 {
		t.Fatalf("%d checks failed on a 402; want many (30 %% of creates)", len(refused))
	}
	failures := len(refused)
	for _, p := range doc.Phases {
		for _, f := range p.Findings {
			if f.Answer != nil && f.Answer.Code == "402" {
				failures += f.Count
			}
		}
	}
	for _, s := range doc.Specs {
		if s.State == "failed" && s.Check == "model" && failures > len(refused) {
			refused = append(refused, s.Text)
		}
	}
	slices.Sort(refused)
	n := strconv.Itoa(failures)
	const title = `phones/create answered 402 "Your role does not allow this" where `

	// JSON: one cause, holding each of them.
	var holding []int
	for i, c := range doc.Causes {
		if strings.Contains(c.Key, "402") {
			holding = append(holding, i)
		}
	}
	if len(holding) != 1 {
		t.Fatalf("JSON causes naming 402: %d; want 1: %+v", len(holding), doc.Causes)
	}
	if c := doc.Causes[holding[0]]; c.Count != failures || !slices.Equal(c.Checks, refused) {
		t.Errorf("JSON 402 cause: %d failures of %d checks; want the %d failures of the %d checks that got a 402, in order", c.Count, len(c.Checks), failures, len(refused))
	}

	// Terminal: the cause's line, then its checks.
	line := regexp.MustCompile(`(?m)^  cause \d+ \(` + n + `\): ` + regexp.QuoteMeta(title) + `.* was due$`)
	if got := line.FindAllString(r.stdout, -1); len(got) != 1 {
		t.Errorf("terminal: %d lines of a cause holding %s failures on 402; want 1\n%s", len(got), n, r.tail())
	}
	// The cause's title, not any "answered 402": an observation the fault
	// happened to answer 402 says so in its own words.
	if c := strings.Count(r.stdout, title); c != 1 {
		t.Errorf("terminal names the 402 cause %d times; want once", c)
	}

	// JUnit: one property for the cause.
	var props []string
	for name, value := range mustJUnitProperties(t, filepath.Join(dir, "junit.xml")) {
		if strings.HasPrefix(name, "cause.") && strings.Contains(value, "answered 402") {
			props = append(props, value)
		}
	}
	if len(props) != 1 || !strings.HasPrefix(props[0], n+" failures: "+title) {
		t.Errorf("JUnit cause properties naming 402 = %q; want one of %s failures", props, n)
	}

	// HTML: the banner names the cause; one cause on the page holds them.
	page := filepath.Join(dir, "report.html")
	checkCausePage(t, parseHTML(t, []byte(mustRead(t, page))), failures, len(refused))
	t.Run("in Chromium", func(t *testing.T) {
		checkCausePage(t, parseHTML(t, inChromium(t, chromium(t), page, "--dump-dom")), failures, len(refused))
	})

	noMachinePaths(t, dir, r)
}

// checkCausePage checks that the page's verdict banner names the 402
// cause with its message as emphasis, and that one cause on the page
// holds all n failures, each of its checks listed.
func checkCausePage(t *testing.T, doc *html.Node, n, checked int) {
	t.Helper()
	banner := elements(doc, func(n *html.Node) bool { return attrOf(n, "data-causes") != "" })
	if len(banner) != 1 {
		t.Fatalf("banners naming causes = %d; want 1", len(banner))
	}
	if got := textOf(banner[0]); !strings.Contains(got, "phones/create answered 402 Your role does not allow this where ") {
		t.Errorf("banner = %q; want it to name the 402 cause", got)
	}
	if em := elements(banner[0], func(n *html.Node) bool { return n.Data == "em" }); len(em) == 0 || textOf(em[0]) != "Your role does not allow this" {
		t.Errorf("banner: the target's message is not set apart")
	}
	var holding []*html.Node
	for _, li := range elements(doc, func(n *html.Node) bool { return n.Data == "li" && attrOf(n, "data-cause") != "" }) {
		if strings.Contains(attrOf(li, "data-cause"), "402") {
			holding = append(holding, li)
		}
	}
	if len(holding) != 1 || attrOf(holding[0], "data-count") != strconv.Itoa(n) {
		t.Fatalf("page: %d causes naming 402; want one holding %d failures", len(holding), n)
	}
	checks := elements(holding[0], func(n *html.Node) bool { return n.Data == "li" && n != holding[0] })
	if len(checks) != checked {
		t.Errorf("page: the 402 cause lists %d checks; want %d", len(checks), checked)
	}
}

// noMachinePaths checks that no JUnit attribute and no terminal line holds
// a path of the machine that ran the suite, nor a Go source location.
func noMachinePaths(t *testing.T, dir string, r result) {
	t.Helper()
	wd, _ := os.Getwd()
	home, _ := os.UserHomeDir()
	paths := []string{wd, filepath.Dir(wd), dir, filepath.Dir(binary), os.TempDir()}
	if home != "" && home != "/" {
		paths = append(paths, home)
	}
	goSource := regexp.MustCompile(`\.go:\d+`)
	bad := func(where, s string) {
		for _, p := range paths {
			if strings.Contains(s, p) {
				t.Errorf("%s holds the path %s: %q", where, p, s)
			}
		}
		if goSource.MatchString(s) {
			t.Errorf("%s holds a Go source location: %q", where, s)
		}
	}
	for _, line := range strings.Split(r.out, "\n") {
		bad("terminal line", line)
	}
	dec := xml.NewDecoder(strings.NewReader(mustRead(t, filepath.Join(dir, "junit.xml"))))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("JUnit report: %v", err)
		}
		if el, ok := tok.(xml.StartElement); ok {
			for _, a := range el.Attr {
				bad("JUnit attribute "+el.Name.Local+"@"+a.Name.Local, a.Value)
			}
		}
	}
}

// TestChecksKeepTheirOrderAcrossSeeds: two runs with different seeds
// list the checks in the same order (their generated values differ); one
// seed run twice gives the same page, apart from times.
func TestChecksKeepTheirOrderAcrossSeeds(t *testing.T) {
	dirA, a := causesRun(t, mustMock(t, "4.4"), 1)
	dirB, b := causesRun(t, mustMock(t, "4.4"), 2)
	dirC, c := causesRun(t, mustMock(t, "4.4"), 1)
	for _, r := range []result{a, b, c} {
		if r.code != 0 {
			t.Fatalf("exit %d against the mock\n%s", r.code, r.tail())
		}
	}
	docA, docB := mustJSONReport(t, filepath.Join(dirA, "report.json")), mustJSONReport(t, filepath.Join(dirB, "report.json"))
	if len(docA.Specs) != len(docB.Specs) {
		t.Fatalf("%d checks with seed 1, %d with seed 2; want as many", len(docA.Specs), len(docB.Specs))
	}
	inA, inB := map[string]bool{}, map[string]bool{}
	for i := range docA.Specs {
		sa, sb := docA.Specs[i], docB.Specs[i]
		if sa.Check != sb.Check || !slices.Equal(sa.Params, sb.Params) {
			t.Fatalf("check %d: %s %v with seed 1, %s %v with seed 2; want the same check", i, sa.Check, sa.Params, sb.Check, sb.Params)
		}
		inA[sa.Text], inB[sb.Text] = true, true
	}
	var sameA, sameB []string // the texts no generated value changed, in each run's order
	differ := 0
	for i := range docA.Specs {
		if inB[docA.Specs[i].Text] {
			sameA = append(sameA, docA.Specs[i].Text)
		} else {
			differ++
		}
		if inA[docB.Specs[i].Text] {
			sameB = append(sameB, docB.Specs[i].Text)
		}
	}
	if differ == 0 {
		t.Error("no check's text changed with the seed: this test checks nothing")
	}
	if !slices.Equal(sameA, sameB) {
		t.Error("the checks whose texts are alike in both runs come in another order")
	}

	// One seed, twice: the same page but for the times (the run's, and
	// each phase's seconds).
	times := regexp.MustCompile(`(?m)^<dt>started</dt>.*$|<td>\d+\.\d\d</td></tr>$`)
	pageA := times.ReplaceAllString(mustRead(t, filepath.Join(dirA, "report.html")), "")
	pageC := times.ReplaceAllString(mustRead(t, filepath.Join(dirC, "report.html")), "")
	pageA = strings.ReplaceAll(pageA, baseURLOf(t, dirA), "BASE")
	pageC = strings.ReplaceAll(pageC, baseURLOf(t, dirC), "BASE")
	if pageA != pageC {
		t.Errorf("two runs of seed 1 wrote different pages:\n%s", firstDifference(pageA, pageC))
	}
}

// baseURLOf is the base URL the JSON report in dir names.
func baseURLOf(t *testing.T, dir string) string {
	t.Helper()
	var doc struct {
		Provenance struct {
			BaseURL string `json:"base_url"`
		} `json:"provenance"`
	}
	if err := json.Unmarshal([]byte(mustRead(t, filepath.Join(dir, "report.json"))), &doc); err != nil || doc.Provenance.BaseURL == "" {
		t.Fatalf("JSON report in %s: %v, no base URL", dir, err)
	}
	return doc.Provenance.BaseURL
}

// firstDifference shows where a and b part.
func firstDifference(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-200)
	return "…" + a[from:min(len(a), i+200)] + "\n---\n…" + b[from:min(len(b), i+200)]
}

// TestMergeOfTwoTargetsIsRefused: the reports of runs against two
// servers merge only with --allow-different-targets, which names both.
func TestMergeOfTwoTargetsIsRefused(t *testing.T) {
	dirs := make([]string, 2)
	for i := range dirs {
		srv := httptest.NewServer(mustMock(t, "4.4"))
		dirs[i] = t.TempDir()
		r := runAt(t, srv.URL, "4.4", mustProfile(t), 2*time.Minute, "--label-filter", "codes", "--json-report", filepath.Join(dirs[i], "report.json"))
		srv.Close()
		if r.code != 0 {
			t.Fatalf("exit %d against the mock\n%s", r.code, r.tail())
		}
	}
	page := filepath.Join(t.TempDir(), "page.html")
	files := []string{filepath.Join(dirs[0], "report.json"), filepath.Join(dirs[1], "report.json")}
	out, err := exec.Command(binary, append([]string{"report", "-o", page}, files...)...).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Fatalf("report of two targets: %v; want exit 2\n%s", err, out)
	}
	if !strings.Contains(string(out), "--allow-different-targets") {
		t.Errorf("output %q; want it to name the flag", out)
	}
	if out, err := exec.Command(binary, append([]string{"report", "-o", page, "--allow-different-targets"}, files...)...).CombinedOutput(); err != nil {
		t.Fatalf("report --allow-different-targets: %v\n%s", err, out)
	}
	data := mustRead(t, page)
	for _, d := range dirs {
		if !strings.Contains(data, baseURLOf(t, d)) {
			t.Errorf("the merged page does not name the target %s", baseURLOf(t, d))
		}
	}
}
